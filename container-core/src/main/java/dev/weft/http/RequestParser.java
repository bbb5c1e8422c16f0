package dev.weft.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses a request head (request line and header fields, RFC 9112 §2–§5) from the connection's
 * buffer, byte by byte as it arrives, and decides how the body is framed (§6).
 *
 * <p>Strict by design: anything RFC 9112 lets a server reject, and anything two parsers could read
 * differently, is refused with an {@link HttpException} before a handler sees it. Line endings must
 * be CRLF everywhere (request line, header fields, chunk framing, trailers); a bare LF or CR is a
 * 400, the same rule in every place, so no two readers of a message disagree about where lines end.
 */
final class RequestParser {
    private RequestParser() {}

    private static final int MAX_LEADING_EMPTY_LINES = 8;

    /** Bytes allowed in a token (RFC 9110 §5.6.2). */
    private static final boolean[] TCHAR = new boolean[256];
    /** Bytes allowed in a request-target: visible ASCII but {@code #}, checked further per form. */
    private static final boolean[] TARGET = new boolean[256];
    /** Bytes allowed in a field value: VCHAR, SP, HTAB, obs-text (RFC 9110 §5.5). */
    private static final boolean[] FIELD_VALUE = new boolean[256];
    /** Bytes allowed in a Host value: unreserved, sub-delims, pct-encoded, and {@code :[]}. */
    private static final boolean[] HOST = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
            HOST[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
            HOST[c] = true;
            HOST[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0x21; c <= 0x7e; c++) {
            TARGET[c] = c != '#';
            FIELD_VALUE[c] = true;
        }
        FIELD_VALUE[' '] = true;
        FIELD_VALUE['\t'] = true;
        for (int c = 0x80; c <= 0xff; c++) {
            FIELD_VALUE[c] = true;
        }
        for (char c : "-._~!$&'()*+,;=%:[]".toCharArray()) {
            HOST[c] = true;
        }
    }

    static boolean isTchar(int b) {
        return TCHAR[b & 0xff];
    }

    /** Reads a request head from {@code in}; the first byte is already buffered. */
    static Request parse(Conn conn, ConnInput in, Limits limits) throws IOException {
        skipLeadingEmptyLines(in);
        int budget = limits.maxHeaderBytes();

        // Request line: method SP request-target SP HTTP-version CRLF (RFC 9112 §3).
        int lf = in.lineEnd(Math.min(limits.maxRequestLineBytes() + 1, budget),
                limits.maxRequestLineBytes() < budget ? 414 : 431, "request line too long");
        int end = lineContentEnd(in.buf, in.pos, lf);
        byte[] b = in.buf;
        int start = in.pos;
        budget -= lf + 1 - start;

        int sp1 = start;
        while (sp1 < end && TCHAR[b[sp1] & 0xff]) {
            sp1++;
        }
        if (sp1 == start || sp1 >= end || b[sp1] != ' ') {
            throw HttpException.badRequest("malformed request line: bad method");
        }
        int sp2 = sp1 + 1;
        while (sp2 < end && TARGET[b[sp2] & 0xff]) {
            sp2++;
        }
        if (sp2 == sp1 + 1 || sp2 >= end || b[sp2] != ' ') {
            throw HttpException.badRequest("malformed request line: bad request-target");
        }
        int protoMinor = parseVersion(b, sp2 + 1, end);
        if (limits.maxRequestLineBytes() < end - start) {
            throw new HttpException(414, "request line too long");
        }
        String method = method(b, start, sp1);
        String target = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        in.pos = lf + 1;

        // Header fields (RFC 9112 §5).
        Headers headers = new Headers(fieldCountHint(in));
        readFields(in, headers, budget, limits.maxHeaderCount(), 431, false);

        return frame(conn, in, limits, method, target, protoMinor, headers);
    }

    /** RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line. */
    private static void skipLeadingEmptyLines(ConnInput in) throws IOException {
        for (int i = 0; i <= MAX_LEADING_EMPTY_LINES; i++) {
            if (in.pos >= in.lim && in.fill() <= 0) {
                throw new java.io.EOFException("connection closed before a request");
            }
            byte c = in.buf[in.pos];
            if (c != '\r' && c != '\n') {
                return;
            }
            int lf = in.lineEnd(1, 400, "malformed empty line before request");
            if (lineContentEnd(in.buf, in.pos, lf) != in.pos) {
                throw HttpException.badRequest("malformed empty line before request");
            }
            in.pos = lf + 1;
        }
        throw HttpException.badRequest("too many empty lines before the request line");
    }

    /**
     * Reads field lines up to and including the empty line that ends them, into {@code out}.
     * Used for headers and, with {@code trailer} set, for the trailer section of a chunked body.
     */
    static void readFields(ConnInput in, Headers out, int budget, int maxCount, int tooLargeStatus,
            boolean trailer) throws IOException {
        String tooLarge = trailer ? "trailer section too large" : "request header fields too large";
        while (true) {
            if (budget < 2) {
                throw new HttpException(tooLargeStatus, tooLarge);
            }
            int lf = in.lineEnd(budget - 1, tooLargeStatus, tooLarge);
            byte[] b = in.buf;
            int start = in.pos;
            int end = lineContentEnd(b, start, lf);
            budget -= lf + 1 - start;
            in.pos = lf + 1;
            if (end == start) {
                return;
            }
            if (b[start] == ' ' || b[start] == '\t') {
                throw HttpException.badRequest("obsolete line folding in a field");
            }
            int colon = start;
            while (colon < end && TCHAR[b[colon] & 0xff]) {
                colon++;
            }
            if (colon == end || b[colon] != ':') {
                throw HttpException.badRequest(colon == start ? "empty field name" : "invalid field name");
            }
            if (colon == start) {
                throw HttpException.badRequest("empty field name");
            }
            int vs = colon + 1;
            int ve = end;
            while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
                vs++;
            }
            while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                ve--;
            }
            for (int i = vs; i < ve; i++) {
                if (!FIELD_VALUE[b[i] & 0xff]) {
                    throw HttpException.badRequest("invalid character in field value");
                }
            }
            if (out.size() >= maxCount) {
                throw new HttpException(tooLargeStatus, trailer ? "too many trailer fields" : "too many header fields");
            }
            String name = HeaderNames.name(b, start, colon);
            if (trailer && HeaderNames.forbiddenInTrailer(name)) {
                throw HttpException.badRequest("field " + name + " not allowed in trailers");
            }
            out.add(name, ve == vs ? "" : new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * How many field lines the head has, when it is all in the buffer already (it usually is), so
     * the field arrays are made the right size at once; else a guess that fits most browsers.
     */
    private static int fieldCountHint(ConnInput in) {
        byte[] b = in.buf;
        int lines = 0;
        int lineStart = in.pos;
        for (int i = in.pos; i < in.lim; i++) {
            if (b[i] == '\n') {
                if (i == lineStart || (i == lineStart + 1 && b[lineStart] == '\r')) {
                    return Math.max(lines, 1);
                }
                lines++;
                lineStart = i + 1;
            }
        }
        return 12;
    }

    /** The end of a line's content given its LF, which must follow a CR; bare CR inside is refused. */
    static int lineContentEnd(byte[] b, int start, int lf) throws HttpException {
        if (lf == start || b[lf - 1] != '\r') {
            throw HttpException.badRequest("line not terminated by CRLF");
        }
        int end = lf - 1;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == '\r' || c == 0) {
                throw HttpException.badRequest(c == 0 ? "NUL in request" : "bare CR in request");
            }
        }
        return end;
    }

    private static int parseVersion(byte[] b, int p, int end) throws HttpException {
        if (end - p != 8 || b[p] != 'H' || b[p + 1] != 'T' || b[p + 2] != 'T' || b[p + 3] != 'P'
                || b[p + 4] != '/' || !isDigit(b[p + 5]) || b[p + 6] != '.' || !isDigit(b[p + 7])) {
            throw HttpException.badRequest("malformed HTTP version");
        }
        int major = b[p + 5] - '0';
        int minor = b[p + 7] - '0';
        if (major != 1) {
            throw new HttpException(505, "unsupported protocol version");
        }
        // RFC 9110 §6.2: a higher minor version is answered as the highest we support.
        return Math.min(minor, 1);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static String method(byte[] b, int start, int end) {
        int n = end - start;
        if (n == 3 && b[start] == 'G' && b[start + 1] == 'E' && b[start + 2] == 'T') {
            return "GET";
        }
        if (n == 4 && b[start] == 'P' && b[start + 1] == 'O' && b[start + 2] == 'S' && b[start + 3] == 'T') {
            return "POST";
        }
        if (n == 4 && b[start] == 'H' && b[start + 1] == 'E' && b[start + 2] == 'A' && b[start + 3] == 'D') {
            return "HEAD";
        }
        if (n == 3 && b[start] == 'P' && b[start + 1] == 'U' && b[start + 2] == 'T') {
            return "PUT";
        }
        return new String(b, start, n, StandardCharsets.ISO_8859_1);
    }

    /** Checks the target and the framing fields, and builds the request with its body reader. */
    private static Request frame(Conn conn, ConnInput in, Limits limits, String method, String target,
            int protoMinor, Headers headers) throws IOException {
        // Host (RFC 9112 §3.2): exactly one on HTTP/1.1, at most one on 1.0, always well formed.
        int hostCount = headers.count("Host");
        if (hostCount > 1) {
            throw HttpException.badRequest("more than one Host field");
        }
        if (hostCount == 0 && protoMinor >= 1) {
            throw HttpException.badRequest("missing required Host header");
        }
        String host = hostCount == 0 ? "" : headers.get("Host");
        if (!validHost(host)) {
            throw HttpException.badRequest("malformed Host header");
        }

        // Request target (RFC 9112 §3.2).
        String rawPath;
        String rawQuery = null;
        char first = target.charAt(0);
        if (method.equals("CONNECT")) {
            if (first == '/' || target.indexOf('/') >= 0 || target.indexOf('@') >= 0
                    || !validHost(target) || target.lastIndexOf(':') < 0) {
                throw HttpException.badRequest("CONNECT needs an authority-form target");
            }
            rawPath = "";
            host = target;
        } else if (first == '/') {
            int q = target.indexOf('?');
            rawPath = q < 0 ? target : target.substring(0, q);
            rawQuery = q < 0 ? null : target.substring(q + 1);
        } else if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw HttpException.badRequest("asterisk-form target is only for OPTIONS");
            }
            rawPath = "";
        } else {
            int colon = target.indexOf("://");
            String scheme = colon < 0 ? "" : target.substring(0, colon);
            if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
                throw HttpException.badRequest("malformed request-target");
            }
            int authStart = colon + 3;
            int authEnd = authStart;
            while (authEnd < target.length() && target.charAt(authEnd) != '/' && target.charAt(authEnd) != '?') {
                authEnd++;
            }
            String authority = target.substring(authStart, authEnd);
            if (authority.isEmpty() || authority.indexOf('@') >= 0 || !validHost(authority)) {
                throw HttpException.badRequest("malformed authority in request-target");
            }
            // RFC 9112 §3.2.2: the target's authority replaces the Host field.
            host = authority;
            String rest = target.substring(authEnd);
            int q = rest.indexOf('?');
            rawPath = q < 0 ? rest : rest.substring(0, q);
            rawQuery = q < 0 ? null : rest.substring(q + 1);
            if (rawPath.isEmpty()) {
                rawPath = "/";
            }
        }
        checkEscapes(rawPath);
        if (rawQuery != null) {
            checkEscapes(rawQuery);
        }

        // Body framing (RFC 9112 §6).
        boolean hasTe = headers.has("Transfer-Encoding");
        boolean hasCl = headers.has("Content-Length");
        long contentLength = 0;
        boolean chunked = false;
        if (hasTe) {
            if (protoMinor == 0) {
                throw HttpException.badRequest("Transfer-Encoding on an HTTP/1.0 request");
            }
            if (hasCl) {
                throw HttpException.badRequest("both Transfer-Encoding and Content-Length");
            }
            checkTransferEncoding(headers);
            chunked = true;
            contentLength = -1;
        } else if (hasCl) {
            contentLength = parseContentLength(headers);
        }
        if (limits.maxBodyBytes() >= 0 && contentLength > limits.maxBodyBytes()) {
            throw new HttpException(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
        }
        Body body;
        if (chunked) {
            body = new ChunkedBody(in, limits);
        } else if (contentLength > 0) {
            body = new FixedLengthBody(in, contentLength);
        } else {
            body = Body.Empty.INSTANCE;
        }
        Request req = new Request(conn, method, target, protoMinor, headers, rawPath, rawQuery, host,
                contentLength, chunked, body);
        if (body instanceof ChunkedBody cb) {
            cb.trailersInto(req.trailers());
        }
        return req;
    }

    /** Accepts exactly one transfer coding, {@code chunked}: anything else cannot be framed safely. */
    private static void checkTransferEncoding(Headers headers) throws HttpException {
        int codings = 0;
        boolean chunkedLast = false;
        boolean unsupported = false;
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equalsIgnoreCase("Transfer-Encoding")) {
                continue;
            }
            for (String part : headers.value(i).split(",", -1)) {
                String coding = part.strip();
                int semi = coding.indexOf(';');
                String name = (semi < 0 ? coding : coding.substring(0, semi)).strip();
                if (name.isEmpty() || !isToken(name)) {
                    throw HttpException.badRequest("malformed Transfer-Encoding");
                }
                codings++;
                if (name.equalsIgnoreCase("chunked")) {
                    if (chunkedLast || semi >= 0) {
                        throw HttpException.badRequest("chunked applied more than once or with parameters");
                    }
                    chunkedLast = true;
                } else {
                    if (chunkedLast) {
                        throw HttpException.badRequest("chunked is not the final transfer coding");
                    }
                    unsupported = true;
                }
            }
        }
        if (!chunkedLast) {
            throw HttpException.badRequest("chunked is not the final transfer coding");
        }
        if (unsupported || codings != 1) {
            throw new HttpException(501, "unsupported transfer coding");
        }
    }

    /** Content-Length: digits only; repeated or listed values must all be the same (RFC 9110 §8.6). */
    private static long parseContentLength(Headers headers) throws HttpException {
        long value = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equalsIgnoreCase("Content-Length")) {
                continue;
            }
            for (String part : headers.value(i).split(",", -1)) {
                long v = parseDigits(part.strip());
                if (value >= 0 && v != value) {
                    throw HttpException.badRequest("conflicting Content-Length values");
                }
                value = v;
            }
        }
        return value;
    }

    private static long parseDigits(String s) throws HttpException {
        if (s.isEmpty() || s.length() > 18) {
            throw HttpException.badRequest("malformed Content-Length");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw HttpException.badRequest("malformed Content-Length");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff || !TCHAR[c]) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Every {@code %} must start a two-hex-digit escape. */
    private static void checkEscapes(String s) throws HttpException {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                    || Character.digit(s.charAt(i + 2), 16) < 0) {
                throw HttpException.badRequest("malformed percent-encoding in request-target");
            }
        }
    }

    /**
     * Host = uri-host [ ":" port ] (RFC 9110 §7.2): a reg-name or IPv4 address, or an IP literal in
     * brackets, then an optional port of digits. Empty is allowed (RFC 9112 §3.2).
     */
    static boolean validHost(String h) {
        int n = h.length();
        if (n == 0) {
            return true;
        }
        if (n > 255 + 6) {
            return false;
        }
        int portColon;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = h.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == 'v' || c == 'V')) {
                    return false;
                }
            }
            if (close == n - 1) {
                return true;
            }
            if (h.charAt(close + 1) != ':') {
                return false;
            }
            portColon = close + 1;
        } else {
            portColon = h.indexOf(':');
            int hostEnd = portColon < 0 ? n : portColon;
            for (int i = 0; i < hostEnd; i++) {
                char c = h.charAt(i);
                if (c > 0x7f || !HOST[c] || c == '[' || c == ']' || c == ':') {
                    return false;
                }
                if (c == '%' && (i + 2 >= hostEnd || Character.digit(h.charAt(i + 1), 16) < 0
                        || Character.digit(h.charAt(i + 2), 16) < 0)) {
                    return false;
                }
            }
            if (portColon < 0) {
                return true;
            }
        }
        if (n - portColon - 1 > 5) {
            return false;
        }
        for (int i = portColon + 1; i < n; i++) {
            char c = h.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
