package io.fleetwire.hub.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.fleetwire.hub.device.DeviceApiTest.assertError;
import static io.fleetwire.hub.device.DeviceApiTest.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Enrollment tokens ({@code /api/v1/enrollment-tokens}) and agent self-registration ({@code /api/v1/register}). */
@Tag("integration")
class RegistrationTest {

    private static final String H1_BODY = """
            {"hostname":"h1","agentId":"a1","os":{"name":"Linux"},"sensors":[{"id":"cpu_temp"}],"fans":[{"id":"cpu_fan"}]}""";

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();

    /** An enrollment token made through the API. */
    private record Enrollment(String id, String token) {
    }

    private static Enrollment enroll(String json) {
        ApiClient.Response r = HUB.hub().api().post("/api/v1/enrollment-tokens", json);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return new Enrollment(r.body().path("id").asText(), r.body().path("token").asText());
    }

    private static ApiClient.Response register(String enrollmentToken, String body) {
        return HUB.hub().api().withToken(enrollmentToken).post("/api/v1/register", body);
    }

    private static String hostBody(String hostname) {
        return "{\"hostname\":\"" + hostname + "\",\"agentId\":\"agent-" + hostname + "\"}";
    }

    @Test
    void enrollmentToken_isCreatedWith201_duplicateNameIs409_andTheListNeverShowsTheToken() {
        ApiClient api = HUB.hub().api();
        ApiClient.Response created = api.post("/api/v1/enrollment-tokens", "{\"name\":\"x\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String token = created.body().path("token").asText();
        String id = created.body().path("id").asText();
        assertThat(token).startsWith("fwe_").hasSizeGreaterThan(40);
        assertThatCode(() -> UUID.fromString(id)).doesNotThrowAnyException();
        assertThat(created.body().path("name").asText()).isEqualTo("x");

        int before = enrollmentCount();
        ApiClient.Response dup = api.post("/api/v1/enrollment-tokens", "{\"name\":\"x\",\"maxUses\":3}");
        assertError(dup, 409, "conflict");
        assertThat(dup.text()).doesNotContain("fwe_");
        assertThat(enrollmentCount()).isEqualTo(before);

        ApiClient.Response list = api.get("/api/v1/enrollment-tokens");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).doesNotContain(token).doesNotContain(token.substring(4)).doesNotContain("fwe_");
        JsonNode item = item(list.body(), id);
        assertThat(item.path("name").asText()).isEqualTo("x");
        assertThat(item.has("token")).isFalse();
        List<String> keys = new ArrayList<>();
        item.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("nothing secret, not even the hash")
                .containsExactlyInAnyOrder("id", "name", "createdAt", "expiresAt", "maxUses", "uses", "revoked");
        assertThat(item.path("uses").asInt()).isZero();
        assertThat(item.path("revoked").asBoolean()).isFalse();
        assertThat(item.path("maxUses").isNull()).isTrue();
        assertThat(item.path("expiresAt").isNull()).isTrue();
    }

    @Test
    void enrollmentToken_withTtlAndMaxUses_reportsThem() {
        long now = Instant.now().getEpochSecond();
        ApiClient.Response r = HUB.hub().api().post("/api/v1/enrollment-tokens", "{\"name\":\"limited\",\"ttlSeconds\":3600,\"maxUses\":5}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.body().path("maxUses").asInt()).isEqualTo(5);
        long expires = Instant.parse(r.body().path("expiresAt").asText()).getEpochSecond();
        assertThat(expires).isBetween(now + 3590, now + 3610);
        JsonNode item = item(HUB.hub().api().get("/api/v1/enrollment-tokens").body(), r.body().path("id").asText());
        assertThat(item.path("maxUses").asInt()).isEqualTo(5);
        assertThat(Instant.parse(item.path("expiresAt").asText()).getEpochSecond()).isBetween(now + 3590, now + 3610);
    }

    @Test
    void enrollmentToken_withBadFields_is400_andChangesNothing() {
        int before = enrollmentCount();
        List<String> bodies = List.of(
                "not json",
                "[]",
                "{}",
                "{\"name\":\"\"}",
                "{\"name\":7}",
                "{\"name\":\"" + "n".repeat(129) + "\"}",
                "{\"name\":\"ttl-zero\",\"ttlSeconds\":0}",
                "{\"name\":\"ttl-short\",\"ttlSeconds\":59}",
                "{\"name\":\"ttl-negative\",\"ttlSeconds\":-3600}",
                "{\"name\":\"ttl-text\",\"ttlSeconds\":\"3600\"}",
                "{\"name\":\"ttl-fraction\",\"ttlSeconds\":3600.5}",
                "{\"name\":\"ttl-long\",\"ttlSeconds\":" + (366L * 86_400 + 1) + "}",
                "{\"name\":\"ttl-huge\",\"ttlSeconds\":99999999999999}",
                "{\"name\":\"ttl-bool\",\"ttlSeconds\":true}",
                "{\"name\":\"uses-zero\",\"maxUses\":0}",
                "{\"name\":\"uses-negative\",\"maxUses\":-1}",
                "{\"name\":\"uses-text\",\"maxUses\":\"1\"}",
                "{\"name\":\"uses-fraction\",\"maxUses\":1.5}",
                "{\"name\":\"uses-many\",\"maxUses\":1000001}");
        for (String body : bodies) {
            assertError(HUB.hub().api().post("/api/v1/enrollment-tokens", body), 400, "bad_request", body);
        }
        assertThat(enrollmentCount()).isEqualTo(before);
        assertThat(field(HUB.hub().api().get("/api/v1/enrollment-tokens").body().path("items"), "name"))
                .noneMatch(n -> n.startsWith("ttl-") || n.startsWith("uses-"));
    }

    @Test
    void enrollmentTokenRoutes_needTheAdminToken() {
        Enrollment e = enroll("{\"name\":\"admin-only\"}");
        int before = enrollmentCount();
        for (String token : new String[] {null, "fwa_wrong", e.token()}) {
            ApiClient c = HUB.hub().api().withToken(token);
            assertError(c.post("/api/v1/enrollment-tokens", "{\"name\":\"sneaky\"}"), 401, "unauthorized");
            assertError(c.get("/api/v1/enrollment-tokens"), 401, "unauthorized");
            assertError(c.delete("/api/v1/enrollment-tokens/" + e.id()), 401, "unauthorized");
        }
        assertThat(enrollmentCount()).isEqualTo(before);
        assertThat(item(HUB.hub().api().get("/api/v1/enrollment-tokens").body(), e.id()).path("revoked").asBoolean()).isFalse();
    }

    @Test
    void register_createsTheDeviceWithItsCapabilities_andItsTokenOpensTheSocket() {
        Enrollment e = enroll("{\"name\":\"register-h1\"}");
        ApiClient.Response r = register(e.token(), H1_BODY);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        String id = r.body().path("id").asText();
        String token = r.body().path("token").asText();
        assertThatCode(() -> UUID.fromString(id)).doesNotThrowAnyException();
        assertThat(token).startsWith("fwd_");
        assertThat(r.body().path("name").asText()).isEqualTo("h1");

        ApiClient.Response got = HUB.hub().api().get("/api/v1/devices/" + id);
        assertThat(got.status()).as(got.text()).isEqualTo(200);
        JsonNode d = got.body();
        assertThat(d.path("name").asText()).isEqualTo("h1");
        assertThat(d.path("hostname").asText()).isEqualTo("h1");
        assertThat(d.path("agentId").asText()).isEqualTo("a1");
        assertThat(d.path("online").asBoolean()).isFalse();
        assertThat(d.path("capabilities").path("os").path("name").asText()).isEqualTo("Linux");
        assertThat(d.path("capabilities").path("sensors").get(0).path("id").asText()).isEqualTo("cpu_temp");
        assertThat(d.path("capabilities").path("fans").get(0).path("id").asText()).isEqualTo("cpu_fan");
        assertThat(got.text()).doesNotContain(token);
        assertThat(field(HUB.hub().api().get("/api/v1/devices?limit=500").body().path("items"), "id")).contains(id);
        assertThat(item(HUB.hub().api().get("/api/v1/enrollment-tokens").body(), e.id()).path("uses").asInt()).isEqualTo(1);

        try (AgentSocket socket = HUB.hub().connect(new TestHub.DeviceHandle(id, token))) {
            assertThat(socket.isClosed()).isFalse();
            Await.until("device online", Duration.ofSeconds(10),
                    () -> HUB.hub().api().get("/api/v1/devices/" + id).body().path("online").asBoolean());
        }
        assertThat(kinds(id)).contains("registered");
    }

    @Test
    void register_withTheEnrollmentTokenInTheBody_andAnExplicitName_isAccepted() {
        Enrollment e = enroll("{\"name\":\"body-token\"}");
        ApiClient.Response r = HUB.hub().api().withToken(null).post("/api/v1/register",
                "{\"hostname\":\"body-host\",\"name\":\"Body Device\",\"labels\":{\"site\":\"b\"},\"enrollmentToken\":\"" + e.token() + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode d = HUB.hub().api().get("/api/v1/devices/" + r.body().path("id").asText()).body();
        assertThat(d.path("name").asText()).isEqualTo("Body Device");
        assertThat(d.path("hostname").asText()).isEqualTo("body-host");
        assertThat(d.path("labels").path("site").asText()).isEqualTo("b");
    }

    @Test
    void registeringTheSameHostnameAgain_withTheSameToken_is200_sameDevice_newToken_andTheOldTokenStopsWorking() {
        Enrollment e = enroll("{\"name\":\"again\"}");
        ApiClient.Response first = register(e.token(), """
                {"hostname":"again-host","agentId":"a1","sensors":[{"id":"old_sensor"}]}""");
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        String id = first.body().path("id").asText();
        String oldToken = first.body().path("token").asText();
        int before = deviceCount();

        try (AgentSocket oldSocket = HUB.hub().connect(new TestHub.DeviceHandle(id, oldToken))) {
            ApiClient.Response second = register(e.token(), """
                    {"hostname":"again-host","agentId":"a1","sensors":[{"id":"new_sensor"}]}""");
            assertThat(second.status()).as(second.text()).isEqualTo(200);
            assertThat(second.body().path("id").asText()).isEqualTo(id);
            String newToken = second.body().path("token").asText();
            assertThat(newToken).startsWith("fwd_").isNotEqualTo(oldToken);
            assertThat(second.body().path("name").asText()).isEqualTo("again-host");

            // The socket that holds the old token is closed as revoked.
            assertThat(oldSocket.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(4003);
            assertThat(AgentSocket.upgradeStatus(HUB.hub().wsUrl(), oldToken)).isEqualTo(401);
            try (AgentSocket socket = HUB.hub().connect(new TestHub.DeviceHandle(id, newToken))) {
                assertThat(socket.isClosed()).isFalse();
            }
        }
        assertThat(deviceCount()).isEqualTo(before);
        JsonNode items = HUB.hub().api().get("/api/v1/devices?limit=500").body().path("items");
        assertThat(field(items, "hostname")).containsOnlyOnce("again-host");
        JsonNode d = HUB.hub().api().get("/api/v1/devices/" + id).body();
        assertThat(d.path("capabilities").path("sensors").get(0).path("id").asText()).isEqualTo("new_sensor");
        Await.until("registered twice", Duration.ofSeconds(5),
                () -> kinds(id).stream().filter("registered"::equals).count() == 2);
    }

    @Test
    void aDifferentHostname_isANewDevice_andTheSameHostnameWithAnotherToken_getsASuffixedName() {
        Enrollment e1 = enroll("{\"name\":\"clash-1\"}");
        Enrollment e2 = enroll("{\"name\":\"clash-2\"}");
        ApiClient.Response a = register(e1.token(), hostBody("clash-host"));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        ApiClient.Response b = register(e1.token(), hostBody("clash-host-b"));
        assertThat(b.status()).as(b.text()).isEqualTo(201);
        assertThat(b.body().path("id").asText()).isNotEqualTo(a.body().path("id").asText());
        assertThat(b.body().path("name").asText()).isEqualTo("clash-host-b");

        ApiClient.Response c = register(e2.token(), hostBody("clash-host"));
        assertThat(c.status()).as(c.text()).isEqualTo(201);
        String cId = c.body().path("id").asText();
        assertThat(cId).isNotEqualTo(a.body().path("id").asText());
        String cName = c.body().path("name").asText();
        assertThat(cName).isNotEqualTo("clash-host").isEqualTo("clash-host-" + cId.substring(0, 8));
        JsonNode cDevice = HUB.hub().api().get("/api/v1/devices/" + cId).body();
        assertThat(cDevice.path("name").asText()).isEqualTo(cName);
        assertThat(cDevice.path("hostname").asText()).isEqualTo("clash-host");
        // The first device is untouched.
        assertThat(HUB.hub().api().get("/api/v1/devices/" + a.body().path("id").asText()).body().path("name").asText())
                .isEqualTo("clash-host");
        // Both tokens keep working for their own device.
        assertThat(AgentSocket.upgradeStatus(HUB.hub().wsUrl(), a.body().path("token").asText())).isEqualTo(101);
        assertThat(AgentSocket.upgradeStatus(HUB.hub().wsUrl(), c.body().path("token").asText())).isEqualTo(101);
        assertThat(item(HUB.hub().api().get("/api/v1/enrollment-tokens").body(), e1.id()).path("uses").asInt()).isEqualTo(2);
    }

    @Test
    void register_withAnUnknownToken_orNoToken_orAnotherKindOfToken_is401_andCreatesNothing() {
        int before = deviceCount();
        TestHub.DeviceHandle device = HUB.hub().createDevice("not-an-enrollment-token");
        before++;
        for (String token : new String[] {"fwe_unknown_token_000000000000000000000000000", device.token(), TestHub.ADMIN_TOKEN}) {
            assertError(register(token, hostBody("refused-host")), 401, "unauthorized", token);
        }
        assertError(register(null, hostBody("refused-host")), 401, "unauthorized", "no token");
        assertError(register(null, "{}"), 401, "unauthorized", "no token, empty body");
        assertThat(deviceCount()).isEqualTo(before);
        assertThat(field(HUB.hub().api().get("/api/v1/devices?limit=500").body().path("items"), "hostname"))
                .doesNotContain("refused-host");
    }

    @Test
    void register_withARevokedToken_is401() {
        Enrollment e = enroll("{\"name\":\"revoke-me\"}");
        ApiClient.Response before = register(e.token(), hostBody("revoked-host-1"));
        assertThat(before.status()).as(before.text()).isEqualTo(201);

        ApiClient.Response revoked = HUB.hub().api().delete("/api/v1/enrollment-tokens/" + e.id());
        assertThat(revoked.status()).as(revoked.text()).isEqualTo(204);
        assertThat(item(HUB.hub().api().get("/api/v1/enrollment-tokens").body(), e.id()).path("revoked").asBoolean()).isTrue();
        assertError(HUB.hub().api().delete("/api/v1/enrollment-tokens/" + e.id()), 404, "not_found");
        assertError(HUB.hub().api().delete("/api/v1/enrollment-tokens/" + UUID.randomUUID()), 404, "not_found");
        assertError(HUB.hub().api().delete("/api/v1/enrollment-tokens/not-a-uuid"), 404, "not_found");

        int count = deviceCount();
        assertError(register(e.token(), hostBody("revoked-host-2")), 401, "unauthorized");
        // Nor can a device it registered before re-register with it.
        assertError(register(e.token(), hostBody("revoked-host-1")), 401, "unauthorized");
        assertThat(deviceCount()).isEqualTo(count);
        // Devices registered before the revocation keep working.
        assertThat(AgentSocket.upgradeStatus(HUB.hub().wsUrl(), before.body().path("token").asText())).isEqualTo(101);
    }

    @Test
    void register_whenMaxUsesIsExhausted_is401() {
        Enrollment e = enroll("{\"name\":\"single-use\",\"maxUses\":1}");
        assertThat(register(e.token(), hostBody("single-1")).status()).isEqualTo(201);
        int count = deviceCount();
        assertError(register(e.token(), hostBody("single-2")), 401, "unauthorized");
        assertThat(deviceCount()).isEqualTo(count);
        JsonNode item = item(HUB.hub().api().get("/api/v1/enrollment-tokens").body(), e.id());
        assertThat(item.path("uses").asInt()).isEqualTo(1);
        assertThat(item.path("maxUses").asInt()).isEqualTo(1);
    }

    @Test
    void register_withAMissingOrBadField_is400_andCreatesNothing() {
        Enrollment e = enroll("{\"name\":\"bad-fields\"}");
        int before = deviceCount();
        for (String body : List.of(
                "{\"agentId\":\"a1\"}",
                "{\"hostname\":\"\"}",
                "{\"hostname\":42}",
                "{\"hostname\":\"" + "h".repeat(254) + "\"}",
                "not json",
                "[\"bad\"]",
                "{\"hostname\":\"bad-os\",\"os\":\"Linux\"}",
                "{\"hostname\":\"bad-sensors\",\"sensors\":5}",
                "{\"hostname\":\"bad-caps\",\"capabilities\":[]}",
                "{\"hostname\":\"bad-labels\",\"labels\":{\"k\":1}}",
                "{\"hostname\":\"bad-name\",\"name\":\"" + "n".repeat(129) + "\"}")) {
            assertError(register(e.token(), body), 400, "bad_request", body);
        }
        assertThat(deviceCount()).isEqualTo(before);
        // A refused registration does not spend a use.
        assertThat(item(HUB.hub().api().get("/api/v1/enrollment-tokens").body(), e.id()).path("uses").asInt()).isZero();
    }

    // ---------------------------------------------------------------------------------------------

    private static JsonNode item(JsonNode list, String id) {
        for (JsonNode i : list.path("items")) {
            if (id.equals(i.path("id").asText())) {
                return i;
            }
        }
        throw new AssertionError("no item " + id + " in " + list);
    }

    private static int enrollmentCount() {
        ApiClient.Response r = HUB.hub().api().get("/api/v1/enrollment-tokens");
        assertThat(r.status()).isEqualTo(200);
        return r.body().path("items").size();
    }

    private static int deviceCount() {
        ApiClient.Response r = HUB.hub().api().get("/api/v1/devices?limit=500");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().has("next")).isFalse();
        return r.body().path("items").size();
    }

    private static List<String> kinds(String id) {
        List<String> out = new ArrayList<>();
        HUB.hub().api().get("/api/v1/devices/" + id + "/events").body().path("items").forEach(e -> out.add(e.path("kind").asText()));
        return out;
    }
}
