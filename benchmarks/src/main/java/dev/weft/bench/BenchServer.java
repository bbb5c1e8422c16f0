package dev.weft.bench;

/** A server under test, serving {@code GET /plaintext} and {@code POST /echo}. */
interface BenchServer {
    /** Starts listening on {@code host:port} (0 for any free port); returns the port. */
    int start(String host, int port) throws Exception;

    void stop();

    /** What run.sh and the ready line call the stack: core or servlet. */
    String mode();

    /**
     * The connection limit the servers get when their own default would refuse scenario D's
     * 10,000 idle connections (Weft: 10,000, Tomcat: 8,192); Jetty has none by default. The
     * scaling run raises it with {@code -Dbench.maxConnections=N}.
     */
    int MAX_CONNECTIONS = Integer.getInteger("bench.maxConnections", 16_384);
}
