package io.fleetwire.hub.artifact;

import io.fleetwire.hub.api.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.UUID;

import static io.fleetwire.hub.api.Requests.actor;
import static io.fleetwire.hub.api.Requests.reply;
import static io.fleetwire.hub.api.Requests.uuidParam;

/**
 * {@code /api/v1/artifacts}: operators upload files (raw body, {@code ?name=}) for devices to fetch,
 * e.g. the build a {@code software_update} command installs by {@code artifactId}. Devices download
 * {@code …/{id}/content} with their own token and check its SHA-256.
 */
public final class ArtifactEndpoint {

    /** Largest artifact accepted. */
    public static final int MAX_BYTES = 64 << 20;

    private final ArtifactStore store;

    public ArtifactEndpoint(ArtifactStore store) {
        this.store = store;
    }

    /** Mount before the general {@code /api/*} body handler: uploads have their own, larger limit. */
    public void mount(Router router, Handler<RoutingContext> admin, Handler<RoutingContext> adminOrDevice) {
        // Two routes, so the token is checked before a byte of the body is read (Vert.x wants a route's body
        // handler first).
        router.post("/api/v1/artifacts").handler(admin);
        router.post("/api/v1/artifacts").handler(BodyHandler.create().setBodyLimit(MAX_BYTES).setHandleFileUploads(false))
                .handler(this::upload);
        router.get("/api/v1/artifacts").handler(admin).handler(ctx ->
                reply(ctx, 200, store.list().map(items -> new JsonObject().put("items", items))));
        router.get("/api/v1/artifacts/:id").handler(admin).handler(ctx -> {
            UUID id = uuidParam(ctx, "id", "artifact");
            reply(ctx, 200, store.find(id).map(a -> a.orElseThrow(() -> new ApiException.NotFound("no artifact " + id))));
        });
        router.get("/api/v1/artifacts/:id/content").handler(adminOrDevice).handler(this::download);
        router.delete("/api/v1/artifacts/:id").handler(admin).handler(ctx ->
                store.delete(uuidParam(ctx, "id", "artifact"), actor(ctx))
                        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
    }

    private void upload(RoutingContext ctx) {
        String name = ctx.request().getParam("name");
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new ApiException.BadRequest("'name' (query parameter) must be 1–255 characters");
        }
        var body = ctx.body() == null ? null : ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw new ApiException.BadRequest("the request body is the artifact and must not be empty");
        }
        reply(ctx, 201, store.save(name, body, actor(ctx)));
    }

    private void download(RoutingContext ctx) {
        UUID id = uuidParam(ctx, "id", "artifact");
        store.find(id).compose(meta -> {
            JsonObject m = meta.orElseThrow(() -> new ApiException.NotFound("no artifact " + id));
            return store.content(id).map(content -> {
                ctx.response().putHeader("content-type", "application/octet-stream")
                        .putHeader("X-Checksum-Sha256", m.getString("sha256"))
                        .putHeader("content-disposition", "attachment; filename=\"" + m.getString("name").replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
                        .end(content.orElseThrow(() -> new ApiException.NotFound("no artifact " + id)));
                return null;
            });
        }).onFailure(ctx::fail);
    }

}
