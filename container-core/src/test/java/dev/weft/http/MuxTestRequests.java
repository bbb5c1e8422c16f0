package dev.weft.http;

/** Builds {@link Request}s for mux tests, splitting the target as the request parser does. */
final class MuxTestRequests {
    private MuxTestRequests() {}

    /**
     * A request for {@code target}: origin form ({@code /a?q}, or even {@code a?q}, which the parser
     * would refuse), absolute form ({@code http://host/a?q}, whose authority becomes the host),
     * authority form for CONNECT ({@code host:443}), or {@code *}.
     */
    static Request request(String method, String host, String target) {
        String rawPath;
        String rawQuery = null;
        if (method.equals("CONNECT") && !target.startsWith("/")) {
            rawPath = "";
            host = target;
        } else if (target.equals("*")) {
            rawPath = "";
        } else {
            String rest = target;
            int scheme = target.indexOf("://");
            if (scheme >= 0) {
                int authStart = scheme + 3;
                int authEnd = authStart;
                while (authEnd < target.length() && target.charAt(authEnd) != '/' && target.charAt(authEnd) != '?') {
                    authEnd++;
                }
                host = target.substring(authStart, authEnd);
                rest = target.substring(authEnd);
            }
            int q = rest.indexOf('?');
            rawPath = q < 0 ? rest : rest.substring(0, q);
            rawQuery = q < 0 ? null : rest.substring(q + 1);
            if (scheme >= 0 && rawPath.isEmpty()) {
                rawPath = "/";
            }
        }
        Headers headers = new Headers();
        if (!host.isEmpty()) {
            headers.add("Host", host);
        }
        return new Request(null, method, target, 1, headers, rawPath, rawQuery, host, 0, false, Body.Empty.INSTANCE);
    }

    static Request get(String target) {
        return request("GET", "example.org", target);
    }
}
