package dev.weft.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.arquillian.app.AsyncServlet;
import dev.weft.arquillian.app.AsyncTargetServlet;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Asynchronous requests: completed from another thread, dispatched, timed out. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AsyncTest {
    private static final Http http = new Http();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "async.war").addClasses(AsyncServlet.class, AsyncTargetServlet.class);
    }

    @ArquillianResource
    URL base;

    @AfterAll
    static void closeClient() throws Exception {
        http.close();
    }

    @Test
    void completedFromAnotherThread() throws Exception {
        var r = http.get(base, "async/complete");
        assertEquals(200, r.status());
        assertEquals("completed elsewhere=true async=true", r.body());
    }

    @Test
    void dispatchedToAnotherServlet() throws Exception {
        var r = http.get(base, "async/dispatch");
        assertEquals("dispatched ASYNC from=/async/async/dispatch", r.body());
    }

    @Test
    void timeoutAnsweredByTheListener() throws Exception {
        var r = http.get(base, "async/timeout");
        assertEquals(200, r.status());
        assertEquals("timed out", r.body());
    }
}
