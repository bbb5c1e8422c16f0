package dev.weft.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weft.test.app.HelloServlet;
import java.net.URI;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A @WeftTest class run several times in one JVM, each run starting and stopping its own server
 * and answering its request. Prints what each run took (for the record, not as a pass mark:
 * timings on a shared machine are no test).
 */
class StartupTimeTest {
    @Test
    void serverPerClassRunAfterRun() {
        int runs = 5;
        long[] millis = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            EngineTestKit.engine("junit-jupiter").selectors(selectClass(OneRequest.class)).execute()
                    .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
            millis[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        System.out.println("@WeftTest class with one request, start to stop, ms: " + java.util.Arrays.toString(millis));
    }

    @WeftTest(servlets = HelloServlet.class)
    static class OneRequest {
        @Test
        void hello(URI base, CloseableHttpClient client) throws Exception {
            assertEquals(200, Http.get(client, base.resolve("hello")).status());
        }
    }
}
