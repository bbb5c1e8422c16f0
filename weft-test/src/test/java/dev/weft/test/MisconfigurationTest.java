package dev.weft.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weft.test.app.HelloServlet;
import dev.weft.test.app.UnmappedServlet;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** A @WeftTest that cannot be served fails its class with a message saying why. */
class MisconfigurationTest {
    private static Throwable failureOf(Class<?> testClass) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute()
                .containerEvents().failed().list();
        assertEquals(1, failed.size(), "the class fails, once");
        return failed.getFirst().getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
    }

    private static void assertFailure(Class<?> testClass, String expected) {
        Throwable t = failureOf(testClass);
        assertEquals(ExtensionConfigurationException.class, t.getClass(), String.valueOf(t));
        assertTrue(t.getMessage().contains(expected), t.getMessage());
        assertTrue(t.getMessage().contains(testClass.getName()), t.getMessage());
    }

    @Test
    void servletWithoutMapping() {
        assertFailure(Unmapped.class, "servlet " + UnmappedServlet.class.getName() + " needs @WebServlet with its url-patterns");
    }

    @Test
    void severalSources() {
        assertFailure(Mixed.class, "give servlets, filters and listeners, or exploded, or war; not several of them");
    }

    @Test
    void missingWar() {
        assertFailure(MissingWar.class, "target/no-such.war is not a WAR file");
    }

    @Test
    void malformedUser() {
        assertFailure(BadUser.class, "user \"alice\" is not written name = password, role, role");
    }

    @WeftTest(servlets = UnmappedServlet.class)
    static class Unmapped {
        @Test
        void never(URI base) {}
    }

    @WeftTest(servlets = HelloServlet.class, war = "target/no-such.war")
    static class Mixed {
        @Test
        void never(URI base) {}
    }

    @WeftTest(war = "target/no-such.war")
    static class MissingWar {
        @Test
        void never(URI base) {}
    }

    @WeftTest(servlets = HelloServlet.class, users = "alice")
    static class BadUser {
        @Test
        void never(URI base) {}
    }
}
