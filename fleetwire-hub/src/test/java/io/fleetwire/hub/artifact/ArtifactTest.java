package io.fleetwire.hub.artifact;

import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploaded artifacts: stored with their SHA-256, fetched by devices, named by software_update commands. */
@Tag("integration")
class ArtifactTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();

    private static HttpResponse<byte[]> upload(String query, byte[] body, String token) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(HUB.hub().httpUrl() + "/api/v1/artifacts" + query))
                .header("content-type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> download(String id, String token) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(HUB.hub().httpUrl() + "/api/v1/artifacts/" + id + "/content")).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void uploadedArtifact_isDownloadedByADeviceByteForByte_andNamedByASoftwareUpdate() throws Exception {
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        HttpResponse<byte[]> up = upload("?name=agent-1.2.0.jar", content, TestHub.ADMIN_TOKEN);
        assertThat(up.statusCode()).as(new String(up.body())).isEqualTo(201);
        var meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(up.body());
        String id = meta.path("id").asText();
        String sha = ArtifactStore.sha256(content);
        assertThat(meta.path("sha256").asText()).isEqualTo(sha);
        assertThat(meta.path("size").asLong()).isEqualTo(content.length);

        TestHub.DeviceHandle device = HUB.hub().createDevice("artifact-fetcher");
        HttpResponse<byte[]> down = download(id, device.token());
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(down.body()).isEqualTo(content);
        assertThat(down.headers().firstValue("X-Checksum-Sha256")).contains(sha);
        assertThat(download(id, null).statusCode()).isEqualTo(401);
        assertThat(download(id, "fwd_not_a_token").statusCode()).isEqualTo(401);

        String ok = "{\"type\":\"software_update\",\"params\":{\"version\":\"1.2.0\",\"sha256\":\"" + sha + "\",\"artifactId\":\"" + id + "\"}}";
        assertThat(HUB.api().post("/api/v1/devices/" + device.id() + "/commands", ok).status()).isEqualTo(201);
        String wrongSha = ok.replace(sha, "0".repeat(64));
        ApiClient.Response mismatch = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", wrongSha);
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.text()).contains("SHA-256");
        String ghost = ok.replace(id, java.util.UUID.randomUUID().toString());
        assertThat(HUB.api().post("/api/v1/devices/" + device.id() + "/commands", ghost).status()).isEqualTo(400);
        assertThat(HUB.api().get("/api/v1/devices/" + device.id() + "/commands").body().path("items")).hasSize(1);

        assertThat(HUB.api().delete("/api/v1/artifacts/" + id).status()).isEqualTo(204);
        assertThat(download(id, device.token()).statusCode()).isEqualTo(404);
        assertThat(HUB.api().delete("/api/v1/artifacts/" + id).status()).isEqualTo(404);
    }

    @Test
    void badUploads_areRefused() throws Exception {
        assertThat(upload("?name=x.bin", new byte[]{1}, null).statusCode()).isEqualTo(401);
        assertThat(upload("", new byte[]{1}, TestHub.ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(upload("?name=empty.bin", new byte[0], TestHub.ADMIN_TOKEN).statusCode()).isEqualTo(400);
        TestHub.DeviceHandle device = HUB.hub().createDevice("artifact-uploader");
        assertThat(upload("?name=x.bin", new byte[]{1}, device.token()).statusCode()).isEqualTo(401);
        assertThat(HUB.api().get("/api/v1/artifacts").body().path("items")).noneMatch(a -> a.path("name").asText().equals("x.bin"));
        assertThat(HUB.api().get("/api/v1/artifacts/not-a-uuid").status()).isEqualTo(404);
    }
}
