package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket example in a real browser: headless Chromium opens {@code /demo/ws.html?auto=...},
 * which connects, sends the text and writes the echo into the page. The test asks the page, over
 * the DevTools protocol, until the echo is there (bounded): a fixed wait would be either slow or
 * flaky, and Chromium's virtual time does not wait for a WebSocket.
 *
 * <p>Chromium is installed by {@code scripts/ensure-chromium.sh}, which the build runs first.
 * Where it cannot be, this test fails saying so, unless {@code -Dweft.browser.skip=true}.
 */
class BrowserIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Chromium on the PATH, or fails saying how to get it; skipped only when asked to be. */
    private static String chromium() {
        Assumptions.assumeFalse(Boolean.getBoolean("weft.browser.skip"), "the browser test is skipped (-Dweft.browser.skip=true)");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return fail("no Chromium on the PATH: scripts/ensure-chromium.sh installs Debian's chromium package (as root, "
                + "with apt-get); install it, or skip this test with -Dweft.browser.skip=true");
    }

    @Test
    void theWebSocketEchoPageWorksInChromium() throws Exception {
        String chromium = chromium();
        try (Running r = Running.start(dir, "--no-jmx")) {
            String url = r.base + "/demo/ws.html?auto=hello%20from%20Chromium";
            Path profile = dir.resolve("profile");
            Child browser = Child.start(dir, Map.of("HOME", dir.toString()), List.of(chromium, "--headless",
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*", url));
            try (browser) {
                String page = evaluateUntil(browser, profile,
                        "document.getElementById('echo').textContent + ' | ' + document.getElementById('status').textContent",
                        "hello from Chromium | open (subprotocol echo)");
                assertTrue(page.startsWith("hello from Chromium"), page);
            } finally {
                browser.process.descendants().forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * Evaluates {@code expression} in the browser's page every 100 ms until it gives {@code expected}
     * (or {@link #PATIENCE} runs out); returns the last value.
     */
    private static String evaluateUntil(Child browser, Path profile, String expression, String expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Path portFile = profile.resolve("DevToolsActivePort");
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (System.nanoTime() > deadline || !browser.process.isAlive()) {
                fail("Chromium did not open its DevTools port:\n" + browser.output());
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String pageSocket = null;
        while (pageSocket == null) {
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/devtools/page/[^\"]+)\"").matcher(targets);
            if (m.find()) {
                pageSocket = m.group(1);
            } else if (System.nanoTime() > deadline) {
                fail("no page in Chromium: " + targets);
            } else {
                Thread.sleep(50);
            }
        }
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        String value = null;
        try {
            for (int id = 1; System.nanoTime() < deadline; id++) {
                String js = expression.replace("\\", "\\\\").replace("\"", "\\\"");
                ws.sendText("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"" + js
                        + "\",\"returnByValue\":true}}", true).get(10, TimeUnit.SECONDS);
                String reply;
                do {
                    reply = messages.poll(10, TimeUnit.SECONDS);
                } while (reply != null && !reply.contains("\"id\":" + id + ","));
                if (reply != null) {
                    Matcher m = Pattern.compile("\"value\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(reply);
                    value = m.find() ? m.group(1) : reply;
                    if (value.equals(expected)) {
                        return value;
                    }
                }
                Thread.sleep(100);
            }
        } finally {
            ws.abort();
        }
        fail("the page did not show \"" + expected + "\" within " + PATIENCE + "; last: " + value);
        return value;
    }
}
