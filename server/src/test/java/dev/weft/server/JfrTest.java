package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev.weft.Request Flight Recorder event, turned on the way the documentation says. */
class JfrTest {
    @TempDir
    Path dir;

    @Test
    void anEventPerRequestOnceEnabled() throws Exception {
        List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        try (RecordingStream rs = new RecordingStream(); Running r = Running.start(dir, "--no-jmx")) {
            rs.enable("dev.weft.Request");
            rs.onEvent("dev.weft.Request", events::add);
            rs.setMaxAge(Duration.ofMinutes(1));
            rs.startAsync();
            assertEquals(200, r.get("/hello").statusCode());
            assertEquals(404, r.get("/demo/none").statusCode());
            // The stream delivers events about once a second.
            assertTrue(Running.eventually(() -> events.size() >= 2), "events: " + events);
        }
        RecordedEvent hello = events.stream().filter(e -> "/hello".equals(e.getString("path"))).findFirst().orElseThrow();
        assertEquals("GET", hello.getString("method"));
        assertEquals(200, hello.getInt("status"));
        assertEquals(13, hello.getLong("bytes"));
        assertTrue(hello.getDuration().toNanos() > 0);
        RecordedEvent missing = events.stream().filter(e -> "/demo/none".equals(e.getString("path"))).findFirst().orElseThrow();
        assertEquals(404, missing.getInt("status"));
    }
}
