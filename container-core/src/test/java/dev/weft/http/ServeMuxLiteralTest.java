package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Literal patterns are found by a direct lookup that skips the tree: it must choose exactly what
 * the tree chooses, for every method and path.
 */
class ServeMuxLiteralTest {
    private static final List<String> PATTERNS = List.of(
            "/plaintext", "GET /plaintext", "POST /echo", "/a/b", "/a/{x}", "/a/b/c", "/a/b/{rest...}", "GET /m/{x}", "GET /m/lit", "POST /m/lit",
            "/docs/", "/docs/index", "HEAD /only-head", "GET /x/{$}", "/x", "/%61lpha", "/sp%20ace", "/y/z/",
            "PUT /a/b");
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");
    private static final List<String> SEGMENTS = List.of("plaintext", "echo", "a", "b", "c", "m", "lit", "docs", "index",
            "only-head", "x", "y", "z", "alpha", "%61lpha", "sp%20ace", "", ".", "..");

    @Test
    void theLookupAgreesWithTheTree() throws Exception {
        ServeMux mux = new ServeMux();
        for (String p : PATTERNS) {
            mux.handle(p, (w, r) -> w.write(p));
        }
        SplittableRandom random = new SplittableRandom(11);
        List<String> paths = new ArrayList<>(List.of("/", "/plaintext", "/plaintext/", "/a/b", "/a/b/", "/x", "/x/"));
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(4);
            for (int k = 0; k < n; k++) {
                b.append('/').append(SEGMENTS.get(random.nextInt(SEGMENTS.size())));
            }
            if (random.nextInt(4) == 0) {
                b.append('/');
            }
            paths.add(b.toString());
        }
        for (String path : paths) {
            for (String method : METHODS) {
                Request viaRoute = MuxTestRequests.request(method, "example.org", path);
                ServeMux.Route expected = mux.route(viaRoute);
                Request r = MuxTestRequests.request(method, "example.org", path);
                MuxTestWriter w = new MuxTestWriter();
                mux.serve(w, r);
                String what = method + " " + path;
                if (PATTERNS.contains(expected.pattern()) && w.status() == 200) {
                    assertEquals(expected.pattern(), w.body(), what);
                    assertEquals(expected.pattern(), r.pattern(), what);
                } else {
                    assertEquals(false, PATTERNS.contains(w.body()), what + " served by " + w.body()
                            + " where the tree says " + expected.pattern() + " " + w.status());
                }
            }
        }
    }

    @Test
    void aLiteralForAnyMethodConflictsWithAWildcardForOne() {
        ServeMux mux = new ServeMux();
        mux.handle("GET /{x}", (w, r) -> { });
        assertThrows(IllegalArgumentException.class, () -> mux.handle("/plaintext", (w, r) -> { }));
    }
}
