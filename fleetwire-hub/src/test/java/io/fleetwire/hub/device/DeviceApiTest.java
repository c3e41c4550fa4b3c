package io.fleetwire.hub.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The admin REST API for devices: {@code /api/v1/devices}, against a real hub and PostgreSQL. */
@Tag("integration")
class DeviceApiTest {

    private static TestHub hub;
    private static String dbUrl;

    @BeforeAll
    static void startHub() {
        // Our own database, so the test can look at what is stored.
        dbUrl = TestDatabase.newDatabase();
        hub = TestHub.start(Map.of(ConfigKey.DB_URL, dbUrl));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void create_returns201WithIdAndDeviceToken_andGetShowsTheDeviceButNeverTheToken() {
        ApiClient api = hub.api();
        ApiClient.Response created = api.post("/api/v1/devices",
                "{\"name\":\"create-1\",\"hostname\":\"create-1.lan\",\"labels\":{\"site\":\"lab\",\"rack.unit/slot-2_x\":\"r2\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.body().path("id").asText();
        String token = created.body().path("token").asText();
        assertThatCode(() -> UUID.fromString(id)).doesNotThrowAnyException();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(token).startsWith("fwd_").hasSizeGreaterThan(40);
        assertThat(created.body().path("name").asText()).isEqualTo("create-1");

        ApiClient.Response got = api.get("/api/v1/devices/" + id);
        assertThat(got.status()).as(got.text()).isEqualTo(200);
        JsonNode d = got.body();
        assertThat(d.path("id").asText()).isEqualTo(id);
        assertThat(d.path("name").asText()).isEqualTo("create-1");
        assertThat(d.path("hostname").asText()).isEqualTo("create-1.lan");
        assertThat(d.path("labels").size()).isEqualTo(2);
        assertThat(d.path("labels").path("site").asText()).isEqualTo("lab");
        assertThat(d.path("labels").path("rack.unit/slot-2_x").asText()).isEqualTo("r2");
        assertThat(d.path("online").isBoolean()).isTrue();
        assertThat(d.path("online").asBoolean()).isFalse();
        assertThat(d.has("token")).isFalse();
        List<String> keys = new ArrayList<>();
        d.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("no token or hash field").isSubsetOf("id", "name", "hostname", "labels", "online",
                "lastSeen", "createdAt", "agentId", "agent", "capabilities", "latest", "commandOrdering");
        assertThat(got.text()).doesNotContain(token);

        ApiClient.Response list = api.get("/api/v1/devices?limit=500");
        assertThat(list.status()).isEqualTo(200);
        assertThat(field(list.body().path("items"), "id")).contains(id);
        assertThat(list.text()).doesNotContain(token).doesNotContain("\"token\"");
        assertThat(api.get("/api/v1/devices/" + id + "/events").text()).doesNotContain(token);

        // Stored as its SHA-256 only: neither the devices row nor any event holds the token itself.
        assertThat(TestDatabase.queryLong(dbUrl, "SELECT count(*) FROM devices WHERE id = '" + id
                + "' AND token_hash = sha256(convert_to('" + token + "', 'UTF8'))")).isEqualTo(1);
        assertThat(TestDatabase.queryLong(dbUrl, "SELECT count(*) FROM devices d WHERE strpos(d::text, '"
                + token.substring(4) + "') > 0")).isZero();
        assertThat(TestDatabase.queryLong(dbUrl, "SELECT count(*) FROM device_events e WHERE strpos(e::text, '"
                + token.substring(4) + "') > 0")).isZero();
    }

    @Test
    void create_withoutHostnameOrLabels_isAccepted_withEmptyLabels() {
        ApiClient.Response created = hub.api().post("/api/v1/devices", "{\"name\":\"bare\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode d = hub.api().get("/api/v1/devices/" + created.body().path("id").asText()).body();
        assertThat(d.path("labels").isObject()).isTrue();
        assertThat(d.path("labels").size()).isZero();
    }

    @Test
    void adminRoutes_withoutTokenWithWrongTokenOrWithADeviceToken_are401() {
        TestHub.DeviceHandle device = hub.createDevice("auth-victim");
        int before = count();
        List<ApiClient> clients = List.of(hub.api().withToken(null), hub.api().withToken("fwa_wrong_token"),
                hub.api().withToken(device.token()));
        for (ApiClient c : clients) {
            assertError(c.get("/api/v1/devices"), 401, "unauthorized");
            assertError(c.get("/api/v1/devices/" + device.id()), 401, "unauthorized");
            assertError(c.get("/api/v1/devices/" + device.id() + "/events"), 401, "unauthorized");
            assertError(c.post("/api/v1/devices", "{\"name\":\"sneaky\"}"), 401, "unauthorized");
            assertError(c.delete("/api/v1/devices/" + device.id()), 401, "unauthorized");
        }
        assertThat(count()).isEqualTo(before);
        assertThat(hub.api().get("/api/v1/devices/" + device.id()).status()).isEqualTo(200);
    }

    @Test
    void create_withAnInvalidBody_is400_andChangesNothing() {
        hub.createDevice("invalid-baseline");
        int before = count();
        List<String> bodies = List.of(
                "not json",
                "{\"name\":",
                "[{\"name\":\"in-array\"}]",
                "\"just-a-string\"",
                "",
                "{}",
                "{\"hostname\":\"no-name.lan\"}",
                "{\"name\":\"\"}",
                "{\"name\":\"   \"}",
                "{\"name\":42}",
                "{\"name\":\"" + "n".repeat(129) + "\"}",
                "{\"name\":\"bad-host\",\"hostname\":\"" + "h".repeat(254) + "\"}",
                "{\"name\":\"labels-array\",\"labels\":[\"a\",\"b\"]}",
                "{\"name\":\"labels-string\",\"labels\":\"a=b\"}",
                "{\"name\":\"label-number\",\"labels\":{\"a\":5}}",
                "{\"name\":\"label-null\",\"labels\":{\"a\":null}}",
                "{\"name\":\"label-object\",\"labels\":{\"a\":{\"b\":\"c\"}}}",
                "{\"name\":\"label-key-space\",\"labels\":{\"bad key\":\"v\"}}",
                "{\"name\":\"label-key-empty\",\"labels\":{\"\":\"v\"}}",
                "{\"name\":\"label-key-long\",\"labels\":{\"" + "k".repeat(64) + "\":\"v\"}}",
                "{\"name\":\"label-value-long\",\"labels\":{\"k\":\"" + "v".repeat(257) + "\"}}");
        for (String body : bodies) {
            ApiClient.Response r = hub.api().post("/api/v1/devices", body);
            assertError(r, 400, "bad_request", body);
            assertThat(count()).as("device count after %s", body).isEqualTo(before);
        }
        for (String name : List.of("labels-array", "labels-string", "label-number", "label-null", "label-object",
                "label-key-space", "label-key-empty", "label-key-long", "label-value-long", "bad-host")) {
            assertThat(names()).doesNotContain(name);
        }
        // The limits themselves are allowed.
        String longest = "n".repeat(128);
        ApiClient.Response ok = hub.api().post("/api/v1/devices", "{\"name\":\"" + longest + "\",\"labels\":{\""
                + "k".repeat(63) + "\":\"" + "v".repeat(256) + "\"}}");
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        assertThat(count()).isEqualTo(before + 1);
    }

    @Test
    void create_withADuplicateName_is409_andChangesNothing() {
        TestHub.DeviceHandle first = hub.createDevice("dup-name");
        int before = count();
        ApiClient.Response r = hub.api().post("/api/v1/devices", "{\"name\":\"dup-name\",\"hostname\":\"other.lan\"}");
        assertError(r, 409, "conflict");
        assertThat(r.text()).doesNotContain("fwd_");
        assertThat(count()).isEqualTo(before);
        JsonNode d = hub.api().get("/api/v1/devices/" + first.id()).body();
        assertThat(d.path("hostname").asText()).isEqualTo("dup-name.local");
        // The first device's token still works.
        try (AgentSocket socket = hub.connect(first)) {
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void unknownOrMalformedIds_andUnknownPaths_are404Json() {
        ApiClient api = hub.api();
        String unknown = UUID.randomUUID().toString();
        assertError(api.get("/api/v1/devices/" + unknown), 404, "not_found");
        assertError(api.delete("/api/v1/devices/" + unknown), 404, "not_found");
        for (String bad : List.of("not-a-uuid", "123", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", unknown + "0")) {
            assertError(api.get("/api/v1/devices/" + bad), 404, "not_found");
            assertError(api.delete("/api/v1/devices/" + bad), 404, "not_found");
        }
        assertError(api.get("/api/v1/nope"), 404, "not_found");
        assertError(api.post("/api/v1/nope", "{}"), 404, "not_found");
        assertError(api.get("/api/v1/devices/" + unknown + "/nope"), 404, "not_found");
    }

    @Test
    void list_pagesInCreationOrder_followingNextUntilItIsAbsent() {
        String prefix = "page-" + Long.toHexString(System.nanoTime()) + "-";
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(hub.createDevice(prefix + i).id());
        }
        int total = count();

        ApiClient.Response first = hub.api().get("/api/v1/devices?limit=2");
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.body().path("items")).hasSize(2);
        assertThat(first.body().path("next").isTextual()).isTrue();

        List<String> seen = new ArrayList<>();
        List<String> seenNames = new ArrayList<>();
        JsonNode page = first.body();
        int pages = 1;
        while (true) {
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            for (JsonNode item : page.path("items")) {
                seen.add(item.path("id").asText());
                seenNames.add(item.path("name").asText());
                assertThat(item.has("token")).isFalse();
            }
            if (!page.has("next") || page.path("next").isNull()) {
                break;
            }
            assertThat(page.path("items")).as("a page with a next cursor is full").hasSize(2);
            ApiClient.Response r = hub.api().get("/api/v1/devices?limit=2&after=" + page.path("next").asText());
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            page = r.body();
            assertThat(++pages).as("pages").isLessThanOrEqualTo(total / 2 + 2);
        }
        assertThat(new HashSet<>(seen)).as("no device twice").hasSize(seen.size());
        assertThat(seen).hasSize(total);
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            if (seenNames.get(i).startsWith(prefix)) {
                ours.add(seen.get(i));
            }
        }
        assertThat(ours).containsExactlyElementsOf(created);
        // The same order as one big page.
        assertThat(field(hub.api().get("/api/v1/devices?limit=500").body().path("items"), "id"))
                .containsExactlyElementsOf(seen);
    }

    @Test
    void list_withBadQueryParameters_is400() {
        ApiClient api = hub.api();
        String notACursor = Base64.getUrlEncoder().encodeToString("yesterday|nobody".getBytes(StandardCharsets.UTF_8));
        for (String query : List.of("limit=0", "limit=-1", "limit=abc", "limit=501", "limit=1.5", "limit=",
                "after=garbage", "after=" + notACursor, "after=%25%25", "online=maybe", "online=1")) {
            assertError(api.get("/api/v1/devices?" + query), 400, "bad_request", query);
        }
        assertThat(api.get("/api/v1/devices?limit=1").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/devices?limit=500").status()).isEqualTo(200);
    }

    @Test
    void list_onlineTrue_holdsOnlyConnectedDevices() {
        ApiClient api = hub.api();
        TestHub.DeviceHandle on = hub.createDevice("online-yes");
        TestHub.DeviceHandle off = hub.createDevice("online-no");
        try (AgentSocket socket = hub.connect(on)) {
            Await.until("device listed as online", Duration.ofSeconds(10), () -> onlineIds(api, "true").contains(on.id()));
            JsonNode items = api.get("/api/v1/devices?online=true&limit=500").body().path("items");
            assertThat(field(items, "id")).contains(on.id()).doesNotContain(off.id());
            for (JsonNode item : items) {
                assertThat(item.path("online").asBoolean()).as(item.toString()).isTrue();
            }
            assertThat(onlineIds(api, "false")).contains(off.id()).doesNotContain(on.id());
            assertThat(api.get("/api/v1/devices/" + on.id()).body().path("online").asBoolean()).isTrue();
        }
        Await.until("device no longer listed as online", Duration.ofSeconds(10),
                () -> !onlineIds(api, "true").contains(on.id()));
        assertThat(onlineIds(api, "false")).contains(on.id(), off.id());
    }

    @Test
    void delete_is204_closesTheSocketWith4003_revokesTheToken_andTheDeviceIsGone() {
        ApiClient api = hub.api();
        TestHub.DeviceHandle device = hub.createDevice("to-delete");
        try (AgentSocket socket = hub.connect(device)) {
            Await.until("connected event", Duration.ofSeconds(10), () -> kinds(api, device.id()).contains("connected"));
            List<String> kinds = kinds(api, device.id());
            assertThat(kinds).containsSubsequence("connected", "created");
            assertThat(kinds.getLast()).isEqualTo("created");

            ApiClient.Response deleted = api.delete("/api/v1/devices/" + device.id());
            assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
            assertThat(deleted.text()).isEmpty();

            AgentSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(4003);
        }
        assertError(api.get("/api/v1/devices/" + device.id()), 404, "not_found");
        assertError(api.delete("/api/v1/devices/" + device.id()), 404, "not_found");
        assertThat(AgentSocket.upgradeStatus(hub.wsUrl(), device.token())).isEqualTo(401);
        assertThat(field(api.get("/api/v1/devices?limit=500").body().path("items"), "id"))
                .doesNotContain(device.id());
        // The history outlives the device.
        Await.until("deleted event", Duration.ofSeconds(10), () -> kinds(api, device.id()).contains("deleted"));
        // The name is free again.
        assertThat(api.post("/api/v1/devices", "{\"name\":\"to-delete\"}").status()).isEqualTo(201);
    }

    @Test
    void deleteOfAnOfflineDevice_is204_andItsTokenNoLongerOpensASocket() {
        TestHub.DeviceHandle device = hub.createDevice("delete-offline");
        assertThat(AgentSocket.upgradeStatus(hub.wsUrl(), device.token())).isEqualTo(101);
        int before = count();
        assertThat(hub.api().delete("/api/v1/devices/" + device.id()).status()).isEqualTo(204);
        assertThat(count()).isEqualTo(before - 1);
        assertThat(AgentSocket.upgradeStatus(hub.wsUrl(), device.token())).isEqualTo(401);
    }

    // ---------------------------------------------------------------------------------------------

    static void assertError(ApiClient.Response r, int status, String code) {
        assertError(r, status, code, "");
    }

    static void assertError(ApiClient.Response r, int status, String code, String what) {
        assertThat(r.status()).as("status of %s: %s", what, r.text()).isEqualTo(status);
        assertThat(r.body().isObject()).as("JSON body of %s: %s", what, r.text()).isTrue();
        JsonNode error = r.body().path("error");
        assertThat(error.path("code").asText()).as("error code of %s: %s", what, r.text()).isEqualTo(code);
        assertThat(error.path("message").isTextual()).as("error message of %s: %s", what, r.text()).isTrue();
        assertThat(error.path("message").asText()).as("error message of %s", what).isNotBlank();
    }

    private static int count() {
        ApiClient.Response r = hub.api().get("/api/v1/devices?limit=500");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().has("next")).as("fewer than 500 devices").isFalse();
        return r.body().path("items").size();
    }

    private static List<String> names() {
        return field(hub.api().get("/api/v1/devices?limit=500").body().path("items"), "name");
    }

    private static List<String> onlineIds(ApiClient api, String online) {
        ApiClient.Response r = api.get("/api/v1/devices?limit=500&online=" + online);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return field(r.body().path("items"), "id");
    }

    private static List<String> kinds(ApiClient api, String id) {
        ApiClient.Response r = api.get("/api/v1/devices/" + id + "/events");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.body().path("items").forEach(e -> out.add(e.path("kind").asText()));
        return out;
    }

    /** One top-level field of every item (not of nested objects, as findValuesAsText would). */
    static List<String> field(JsonNode items, String name) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path(name).asText()));
        return out;
    }
}
