package dev.weft.servlet;

import dev.weft.http.Headers;
import dev.weft.http.ResponseWriter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UnsupportedEncodingException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The container's {@link HttpServletResponse}, over a core {@link ResponseWriter}. The servlet
 * buffer is the core response buffer; the status and headers go to the core as they are set and
 * are written when the core commits.
 */
final class WeftResponse implements HttpServletResponse {
    final ResponseWriter w;
    final WeftRequest req;
    private int status = 200;

    private String contentType; // without its charset parameter
    private String charset; // set by setCharacterEncoding or a charset in setContentType
    private String localeCharset; // implied by setLocale through locale-encoding-mapping
    private Locale locale;

    private enum OutputMode { NONE, STREAM, WRITER }

    private OutputMode outputMode = OutputMode.NONE;
    private ServletOutput output;
    private PrintWriter writer;
    private long contentLength = -1;
    private long written;

    int includeDepth; // > 0 while an include runs: status and headers stay as they are
    private boolean appCommitted; // sendError, sendRedirect, a complete Content-Length, close
    private boolean closed; // nothing more may be written
    int errorStatus; // set by sendError, handled by the container after the servlet returns
    String errorMessage;
    private Supplier<Map<String, String>> trailerFields;

    WeftResponse(ResponseWriter w, WeftRequest req) {
        this.w = w;
        this.req = req;
        w.setContentTypeSniffing(false); // §5.3: the container must not guess a content type
    }

    // ---- Body ----

    @Override
    public ServletOutputStream getOutputStream() {
        if (outputMode == OutputMode.WRITER) {
            throw new IllegalStateException("getWriter() has already been called for this response");
        }
        outputMode = OutputMode.STREAM;
        return output();
    }

    ServletOutput output() {
        if (output == null) {
            output = new ServletOutput(new ServletOutput.Sink() {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    writeBody(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    if (!closed) {
                        w.flush();
                    }
                }

                @Override
                public void close() throws IOException {
                    closeOutput();
                }
            }, req::nonBlockingAllowed, req.app, null);
        }
        return output;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (outputMode == OutputMode.STREAM) {
            throw new IllegalStateException("getOutputStream() has already been called for this response");
        }
        if (writer == null) {
            String enc = getCharacterEncoding();
            Charset cs;
            try {
                cs = Charset.forName(enc);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw new UnsupportedEncodingException(enc);
            }
            outputMode = OutputMode.WRITER;
            if (charset == null && localeCharset == null) {
                charset = enc; // the writer fixes the charset, and the content type now names it
            }
            syncContentType();
            writer = new PrintWriter(new EncodingWriter(cs), false);
        }
        outputMode = OutputMode.WRITER;
        return writer;
    }

    /** Every body byte goes through here: counted, and closing the response once a declared length is reached. */
    void writeBody(byte[] b, int off, int len) throws IOException {
        if (closed || len == 0) {
            return;
        }
        if (contentLength >= 0 && written + len >= contentLength) {
            int n = (int) Math.max(0, contentLength - written);
            w.write(b, off, n);
            written += n;
            // §5.6: writing the declared length completes the response.
            w.flush();
            appCommitted = true;
            closed = true;
            return;
        }
        w.write(b, off, len);
        written += len;
    }

    /** Ends the response body: what the servlet wrote is flushed; later writes are ignored. */
    void closeOutput() throws IOException {
        if (!closed) {
            w.flush();
            closed = true;
            appCommitted = true;
        }
    }

    boolean isClosed() {
        return closed;
    }

    // ---- Buffer ----

    @Override
    public void setBufferSize(int size) {
        if (isCommitted() || written > 0) {
            throw new IllegalStateException("setBufferSize() after content was written");
        }
        w.setBufferSize(size);
    }

    @Override
    public int getBufferSize() {
        return w.bufferSize();
    }

    @Override
    public void flushBuffer() throws IOException {
        w.flush();
    }

    @Override
    public void resetBuffer() {
        if (isCommitted()) {
            throw new IllegalStateException("resetBuffer() after the response was committed");
        }
        w.resetBuffer();
        written = 0;
    }

    @Override
    public boolean isCommitted() {
        return appCommitted || w.isCommitted();
    }

    @Override
    public void reset() {
        if (isCommitted()) {
            throw new IllegalStateException("reset() after the response was committed");
        }
        if (includeDepth > 0) {
            return;
        }
        w.reset();
        status = 200;
        contentType = null;
        charset = null;
        localeCharset = null;
        locale = null;
        contentLength = -1;
        written = 0;
        // Servlet 6: reset also forgets whether getWriter or getOutputStream was called.
        outputMode = OutputMode.NONE;
        writer = null;
    }

    /** Resets for an error page: the buffer and output mode go, headers stay (§10.9). */
    void resetForError() {
        w.resetBuffer();
        written = 0;
        contentLength = -1;
        w.header().remove("Content-Length");
        outputMode = OutputMode.NONE;
        writer = null;
        closed = false;
        appCommitted = false;
    }

    // ---- Status ----

    @Override
    public void setStatus(int sc) {
        if (includeDepth > 0 || isCommitted()) {
            return;
        }
        if (sc < 100 || sc > 999) {
            throw new IllegalArgumentException("invalid status code " + sc);
        }
        status = sc;
        if (sc >= 200 || sc == 101) {
            w.writeHeader(sc);
        }
    }

    /** Sets the status even when the application may not (error pages). */
    void forceStatus(int sc) {
        status = sc;
        w.writeHeader(sc);
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("sendError() after the response was committed");
        }
        if (includeDepth > 0) {
            return;
        }
        w.resetBuffer();
        written = 0;
        forceStatus(sc);
        errorStatus = sc;
        errorMessage = msg;
        appCommitted = true;
        closed = true;
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("sendRedirect() after the response was committed");
        }
        if (includeDepth > 0) {
            return;
        }
        String target = req.app.relativeRedirects() ? location : absolute(location);
        if (clearBuffer) {
            w.resetBuffer();
            written = 0;
            // The note replaces the body, so a length declared for the old one no longer holds.
            contentLength = -1;
            w.header().remove("Content-Length");
        }
        forceStatus(sc);
        w.header().set("Location", target);
        if (clearBuffer) {
            // RFC 9110 §15.4: a short hypertext note with a link to the new location.
            w.header().set("Content-Type", "text/html;charset=utf-8");
            contentType = "text/html";
            charset = "utf-8";
            String href = Html.escape(target);
            byte[] note = ("<!doctype html><html><head><title>Redirect</title></head><body><p>Redirecting to <a href=\""
                    + href + "\">" + href + "</a>.</p></body></html>").getBytes(StandardCharsets.UTF_8);
            w.write(note, 0, note.length);
        }
        appCommitted = true;
        closed = true;
    }

    /**
     * Resolves a relative redirect location against the request, as sendRedirect's contract says:
     * against the request URI without a leading slash, against the server root with one, and as a
     * network-path reference with two.
     */
    String absolute(String location) {
        if (hasScheme(location)) {
            return location;
        }
        StringBuilder base = new StringBuilder();
        String scheme = req.getScheme();
        base.append(scheme).append(':');
        if (location.startsWith("//")) {
            return base.append(location).toString();
        }
        base.append("//").append(req.getServerName());
        int port = req.getServerPort();
        if (!(scheme.equals("http") && port == 80) && !(scheme.equals("https") && port == 443)) {
            base.append(':').append(port);
        }
        if (location.startsWith("/")) {
            return base.append(location).toString();
        }
        String uri = req.getRequestURI();
        if (location.isEmpty()) {
            return base.append(uri).toString();
        }
        if (location.startsWith("?") || location.startsWith("#")) {
            return base.append(uri).append(location).toString();
        }
        int cut = indexOfAny(location, "?#");
        String path = cut < 0 ? location : location.substring(0, cut);
        String merged = removeDotSegments(uri.substring(0, uri.lastIndexOf('/') + 1) + path);
        if (merged == null) {
            throw new IllegalArgumentException("redirect location climbs above the root: " + location);
        }
        return base.append(merged).append(cut < 0 ? "" : location.substring(cut)).toString();
    }

    /**
     * RFC 3986 §5.2.4 on an absolute path: a final {@code .} or {@code ..} segment leaves a
     * trailing slash. Returns null if the path climbs above the root.
     */
    static String removeDotSegments(String path) {
        String[] segments = path.substring(1).split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        boolean trailingSlash = false;
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            boolean last = i == segments.length - 1;
            if (seg.equals(".")) {
                trailingSlash = last;
            } else if (seg.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.removeLast();
                trailingSlash = last;
            } else {
                out.addLast(seg);
                trailingSlash = false;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String seg : out) {
            sb.append('/').append(seg);
        }
        if (trailingSlash || sb.isEmpty()) {
            sb.append('/');
        }
        return sb.toString();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasScheme(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = s.charAt(i);
            boolean ok = Character.isLetter(c) || (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.'));
            if (!ok || c > 0x7f) {
                return false;
            }
        }
        int slash = s.indexOf('/');
        return slash < 0 || colon < slash;
    }

    // ---- Content type and encoding ----

    @Override
    public void setContentType(String type) {
        if (includeDepth > 0 || isCommitted()) {
            return;
        }
        if (type == null) {
            contentType = null;
            if (outputMode != OutputMode.WRITER) {
                charset = null;
                localeCharset = null;
            }
            syncContentType();
            return;
        }
        StringBuilder rest = new StringBuilder();
        String cs = null;
        String[] parts = type.split(";");
        rest.append(parts[0].strip());
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                cs = p.substring(8).strip();
                if (cs.length() >= 2 && cs.startsWith("\"") && cs.endsWith("\"")) {
                    cs = cs.substring(1, cs.length() - 1);
                }
            } else if (!p.isEmpty()) {
                rest.append(';').append(p);
            }
        }
        contentType = rest.toString();
        if (cs != null && !cs.isEmpty() && outputMode != OutputMode.WRITER) {
            charset = cs;
        }
        syncContentType();
    }

    @Override
    public String getContentType() {
        if (contentType == null) {
            return null;
        }
        if (charset != null || localeCharset != null || outputMode == OutputMode.WRITER) {
            return contentType + ";charset=" + getCharacterEncoding();
        }
        return contentType;
    }

    @Override
    public void setCharacterEncoding(String enc) {
        if (includeDepth > 0 || isCommitted() || outputMode == OutputMode.WRITER) {
            return;
        }
        charset = enc;
        if (enc == null) {
            localeCharset = null;
        }
        syncContentType();
    }

    @Override
    public String getCharacterEncoding() {
        if (charset != null) {
            return charset;
        }
        if (localeCharset != null) {
            return localeCharset;
        }
        String appDefault = req.app.getResponseCharacterEncoding();
        return appDefault != null ? appDefault : "ISO-8859-1";
    }

    @Override
    public void setLocale(Locale loc) {
        if (includeDepth > 0 || isCommitted()) {
            return;
        }
        if (loc == null) {
            // Clears the locale, its Content-Language and the charset it implied.
            locale = null;
            w.header().remove("Content-Language");
            if (outputMode != OutputMode.WRITER) {
                localeCharset = null;
            }
            syncContentType();
            return;
        }
        locale = loc;
        w.header().set("Content-Language", loc.toLanguageTag());
        if (charset == null && outputMode != OutputMode.WRITER) {
            String mapped = req.app.charsetForLocale(loc);
            if (mapped != null) {
                localeCharset = mapped;
            }
        }
        syncContentType();
    }

    @Override
    public Locale getLocale() {
        return locale != null ? locale : Locale.getDefault();
    }

    private void syncContentType() {
        String ct = getContentType();
        if (ct == null) {
            w.header().remove("Content-Type");
        } else {
            w.header().set("Content-Type", ct);
        }
    }

    @Override
    public void setContentLength(int len) {
        setContentLengthLong(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        if (includeDepth > 0 || isCommitted()) {
            return;
        }
        contentLength = len < 0 ? -1 : len;
        if (len < 0) {
            w.header().remove("Content-Length");
        } else {
            w.header().set("Content-Length", Long.toString(len));
        }
    }

    // ---- Headers ----

    @Override
    public void setHeader(String name, String value) {
        if (name == null || includeDepth > 0 || isCommitted()) {
            return;
        }
        if (special(name, value)) {
            return;
        }
        if (value == null) {
            w.header().remove(name);
        } else {
            w.header().set(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (name == null || value == null || includeDepth > 0 || isCommitted()) {
            return;
        }
        if (special(name, value)) {
            return;
        }
        w.header().add(name, value);
    }

    /** Content-Type and Content-Length set as headers go through their own setters. */
    private boolean special(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            setContentType(value);
            return true;
        }
        if (name.equalsIgnoreCase("Content-Length")) {
            if (value == null) {
                setContentLengthLong(-1);
            } else {
                try {
                    setContentLengthLong(Long.parseLong(value.strip()));
                } catch (NumberFormatException e) {
                    // An invalid length is ignored rather than sent.
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, HttpDates.format(date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, HttpDates.format(date));
    }

    @Override
    public boolean containsHeader(String name) {
        return name != null && w.header().has(name);
    }

    @Override
    public String getHeader(String name) {
        return name == null ? null : w.header().get(name);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return name == null ? List.of() : new ArrayList<>(w.header().values(name));
    }

    @Override
    public Collection<String> getHeaderNames() {
        return new LinkedHashSet<>(w.header().names());
    }

    @Override
    public void addCookie(Cookie cookie) {
        if (includeDepth > 0 || isCommitted()) {
            return;
        }
        w.header().add("Set-Cookie", Cookies.toSetCookie(cookie));
    }

    /** Adds a Set-Cookie the container makes (the session cookie), even during an include. */
    void addContainerCookie(Cookie cookie) {
        if (!w.isCommitted()) {
            w.header().add("Set-Cookie", Cookies.toSetCookie(cookie));
        }
    }

    @Override
    public String encodeURL(String url) {
        return req.app.sessions().encodeURL(req, url);
    }

    @Override
    public String encodeRedirectURL(String url) {
        return req.app.sessions().encodeURL(req, url);
    }

    // ---- Trailers ----

    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
        if (isCommitted()) {
            throw new IllegalStateException("setTrailerFields() after the response was committed");
        }
        if (!req.core.protoAtLeast(1, 1)) {
            throw new IllegalStateException("trailer fields need HTTP/1.1 chunked transfer coding");
        }
        this.trailerFields = supplier;
    }

    @Override
    public Supplier<Map<String, String>> getTrailerFields() {
        return trailerFields;
    }

    /** Puts the trailer fields into the core response; called once the servlet has finished. */
    void applyTrailerFields() {
        if (trailerFields == null) {
            return;
        }
        Map<String, String> fields = trailerFields.get();
        if (fields == null) {
            return;
        }
        Headers t = w.trailer();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey() != null && e.getValue() != null) {
                t.set(e.getKey(), e.getValue());
            }
        }
    }

    // ---- Streams ----

    /**
     * Encodes characters straight into the response buffer, holding back nothing but half of a
     * surrogate pair, so that resetting the buffer needs nothing from it.
     */
    private final class EncodingWriter extends Writer {
        private final CharsetEncoder encoder;
        private final ByteBuffer bytes = ByteBuffer.allocate(1024);
        private char pendingHigh;

        EncodingWriter(Charset cs) {
            this.encoder = cs.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            CharBuffer in;
            if (pendingHigh != 0) {
                char[] joined = new char[len + 1];
                joined[0] = pendingHigh;
                System.arraycopy(cbuf, off, joined, 1, len);
                pendingHigh = 0;
                in = CharBuffer.wrap(joined);
            } else {
                in = CharBuffer.wrap(cbuf, off, len);
            }
            encode(in);
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            if (pendingHigh != 0) {
                write(str.toCharArray(), off, len);
                return;
            }
            encode(CharBuffer.wrap(str, off, off + len));
        }

        private void encode(CharBuffer in) throws IOException {
            if (in.hasRemaining() && Character.isHighSurrogate(in.get(in.limit() - 1))) {
                pendingHigh = in.get(in.limit() - 1);
                in.limit(in.limit() - 1);
            }
            while (true) {
                CoderResult r = encoder.encode(in, bytes, false);
                drain();
                if (r.isUnderflow()) {
                    break;
                }
                if (r.isError()) {
                    try {
                        r.throwException();
                    } catch (CharacterCodingException e) {
                        throw new IOException(e);
                    }
                }
            }
        }

        private void drain() throws IOException {
            if (bytes.position() > 0) {
                writeBody(bytes.array(), 0, bytes.position());
                bytes.clear();
            }
        }

        @Override
        public void flush() throws IOException {
            // Nothing is held back here; flushing the writer flushes the response, as for the stream.
            if (!closed) {
                w.flush();
            }
        }

        @Override
        public void close() throws IOException {
            closeOutput();
        }
    }
}
