package dev.weft.servlet;

import dev.weft.http.Headers;
import dev.weft.http.HttpException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming reader of a multipart body (RFC 2046 §5.1.1, as RFC 7578 uses it for
 * {@code multipart/form-data}), after Go's {@code mime/multipart.Reader}: {@link #nextPart()}
 * moves to the next part and returns its header fields, {@link #read} reads that part's content.
 * One fixed buffer is all it holds, whatever the size of the parts.
 *
 * <p>As strict as the HTTP parser: lines end in CRLF (a bare CR or LF is an error), header fields
 * are not folded, a part's header section and the padding after a boundary are bounded, and a
 * boundary followed by anything but {@code --}, padding or CRLF is an error rather than content.
 * RFC 2046 forbids the delimiter inside a part; reading such a body either way would let two
 * readers of one body (a proxy, a filter, this container) disagree about where a part ends.
 * Every error is an {@link HttpException} with status 400.
 */
final class MultipartReader {
    /** Most bytes of one part's header section, blank line included. */
    static final int MAX_HEADER_BYTES = 16 << 10;
    /** Most header fields in one part; form-data parts carry two or three. */
    static final int MAX_HEADER_FIELDS = 32;
    /** Most transport padding (spaces and tabs) after a boundary. */
    static final int MAX_PADDING = 256;
    /** RFC 2046: a boundary has 1 to 70 characters. */
    static final int MAX_BOUNDARY = 70;

    private final InputStream in;
    private final byte[] delimiter; // CRLF "--" boundary
    private final int[] shift = new int[256]; // Horspool's bad-character shifts for the delimiter
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof; // the source has ended; buf[pos, lim) is all that is left

    // The content of the current part, as far as it has been scanned: buf[pos, contentEnd) is
    // content; a delimiter starts at contentEnd if delimiterFound.
    private int contentEnd;
    private boolean delimiterFound;

    private boolean inContent = true; // the preamble is read as content nobody wants
    private boolean preamble = true;
    private boolean done; // past the close delimiter

    /**
     * @param in the body, read up to the close delimiter and no further
     * @param boundary a valid boundary, from {@link #boundary(String)}
     * @param bufferSize at least a few times the delimiter length; reads into it are this large
     */
    MultipartReader(InputStream in, String boundary, int bufferSize) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int m = delimiter.length;
        this.buf = new byte[Math.max(bufferSize, 4 * m)];
        Arrays.fill(shift, m);
        for (int j = 0; j < m - 1; j++) {
            shift[delimiter[j] & 0xff] = m - 1 - j;
        }
        // The first boundary may open the body, with no CRLF before it: start as if there were one,
        // so it is found as an ordinary delimiter after an empty preamble.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /**
     * Moves to the next part, skipping what is left of the current one (or the preamble), and
     * returns its header fields; null after the last part.
     */
    Headers nextPart() throws IOException {
        while (inContent) {
            transfer(null, 0, buf.length);
        }
        if (done) {
            return null;
        }
        Headers h = readHeaders();
        inContent = true;
        contentEnd = pos;
        delimiterFound = false;
        return h;
    }

    /** Reads the current part's content; -1 at its end. */
    int read(byte[] b, int off, int len) throws IOException {
        if (preamble) {
            throw new IllegalStateException("nextPart() first");
        }
        if (len == 0) {
            return 0;
        }
        return transfer(b, off, len);
    }

    /** Copies content into b, or skips it if b is null; -1 at the end of the part, having read past the delimiter. */
    private int transfer(byte[] b, int off, int len) throws IOException {
        if (!inContent) {
            return -1;
        }
        while (pos == contentEnd) {
            if (delimiterFound) {
                endOfPart();
                return -1;
            }
            scan();
            if (pos == contentEnd && !delimiterFound) {
                if (eof) {
                    throw malformed(preamble ? "no boundary in the body"
                            : "the body ends inside a part, without the closing boundary");
                }
                fill();
            }
        }
        int n = Math.min(len, contentEnd - pos);
        if (b != null) {
            System.arraycopy(buf, pos, b, off, n);
        }
        pos += n;
        return n;
    }

    /** Finds how far buf[pos, lim) is certainly content: up to a delimiter, or to where one could begin. */
    private void scan() {
        int m = delimiter.length;
        byte last = delimiter[m - 1];
        for (int i = pos; i + m <= lim; ) {
            byte c = buf[i + m - 1];
            if (c == last && matchesAt(i)) {
                contentEnd = i;
                delimiterFound = true;
                return;
            }
            i += shift[c & 0xff];
        }
        // No whole delimiter: the tail may hold the start of one, and every delimiter starts with CR.
        int end = Math.max(pos, lim - m + 1);
        while (end < lim && buf[end] != '\r') {
            end++;
        }
        contentEnd = end;
    }

    private boolean matchesAt(int i) {
        for (int j = 0; j < delimiter.length; j++) {
            if (buf[i + j] != delimiter[j]) {
                return false;
            }
        }
        return true;
    }

    /** At a delimiter: past it and what may follow it, the close marker or padding and CRLF. */
    private void endOfPart() throws IOException {
        pos += delimiter.length;
        inContent = false;
        preamble = false;
        int c = nextByte();
        if (c == '-') {
            if (nextByte() != '-') {
                throw malformed("a boundary followed by a single '-'");
            }
            done = true;
            c = skipPadding(nextByte());
            // The epilogue after CRLF is ignored, and not read: the connection drains it or closes.
            if (c >= 0 && (c != '\r' || nextByte() != '\n')) {
                throw malformed("the closing boundary is not followed by CRLF");
            }
            return;
        }
        c = skipPadding(c);
        if (c != '\r' || nextByte() != '\n') {
            throw malformed(c < 0 ? "the body ends after a boundary" : "a boundary is not followed by CRLF");
        }
    }

    private int skipPadding(int c) throws IOException {
        for (int n = 0; c == ' ' || c == '\t'; n++) {
            if (n == MAX_PADDING) {
                throw malformed("more than " + MAX_PADDING + " bytes of padding after a boundary");
            }
            c = nextByte();
        }
        return c;
    }

    private Headers readHeaders() throws IOException {
        Headers h = new Headers(4);
        byte[] line = new byte[128];
        int total = 0;
        while (true) {
            int n = 0;
            while (true) {
                int c = nextByte();
                if (c < 0) {
                    throw malformed("the body ends inside a part's header");
                }
                if (++total > MAX_HEADER_BYTES) {
                    throw malformed("a part's header is longer than " + MAX_HEADER_BYTES + " bytes");
                }
                if (c == '\r') {
                    if (nextByte() != '\n') {
                        throw malformed("a bare CR in a part's header");
                    }
                    total++;
                    break;
                }
                if (c == '\n') {
                    throw malformed("a bare LF in a part's header");
                }
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw malformed("a control character in a part's header");
                }
                if (n == line.length) {
                    line = Arrays.copyOf(line, 2 * n);
                }
                line[n++] = (byte) c;
            }
            if (n == 0) {
                return h;
            }
            if (line[0] == ' ' || line[0] == '\t') {
                throw malformed("a folded line in a part's header");
            }
            int colon = 0;
            while (colon < n && line[colon] != ':') {
                if (!isTokenChar(line[colon])) {
                    throw malformed("a malformed field name in a part's header");
                }
                colon++;
            }
            if (colon == 0 || colon == n) {
                throw malformed("a malformed field in a part's header");
            }
            int from = colon + 1;
            int to = n;
            while (from < to && (line[from] == ' ' || line[from] == '\t')) {
                from++;
            }
            while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
                to--;
            }
            if (h.size() == MAX_HEADER_FIELDS) {
                throw malformed("more than " + MAX_HEADER_FIELDS + " fields in a part's header");
            }
            h.add(new String(line, 0, colon, StandardCharsets.ISO_8859_1), text(line, from, to));
        }
    }

    /**
     * Header values as UTF-8 (what browsers send for file names, RFC 7578 §5.1), else as
     * ISO-8859-1, which maps every byte to a character.
     */
    private static String text(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    private int nextByte() throws IOException {
        if (pos == lim) {
            if (eof) {
                return -1;
            }
            fill();
            if (pos == lim) {
                return -1;
            }
        }
        return buf[pos++] & 0xff;
    }

    /** Moves what is left to the front of the buffer and reads more after it. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            contentEnd = Math.max(0, contentEnd - pos);
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
        } else {
            lim += n;
        }
    }

    static HttpException malformed(String why) {
        return new HttpException(400, "malformed multipart body: " + why);
    }

    // ---- Header values ----

    /**
     * The boundary of a {@code multipart/*} Content-Type (RFC 2046 §5.1.1): 1 to 70 of the
     * characters it allows, not ending in a space.
     */
    static String boundary(String contentType) throws HttpException {
        int semi = contentType.indexOf(';');
        String b = semi < 0 ? null : parameters(contentType, semi).get("boundary");
        if (b == null) {
            throw malformed("no boundary in the Content-Type");
        }
        if (b.isEmpty() || b.length() > MAX_BOUNDARY || b.endsWith(" ")) {
            throw malformed("a boundary must have 1 to " + MAX_BOUNDARY + " characters and not end in a space");
        }
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "'()+_,-./:=? ".indexOf(c) >= 0;
            if (!ok) {
                throw malformed("a character a boundary may not have: " + (int) c);
            }
        }
        return b;
    }

    /**
     * The parameters after {@code from} ({@code ;}-separated {@code name=value}, the value a token
     * or a quoted string), names in lower case. Within quotes a backslash escapes only a quote or
     * a backslash, and is itself otherwise: browsers send a Windows path's backslashes unescaped.
     *
     * @throws HttpException for bad syntax or a parameter named twice, which readers could take
     *     either way
     */
    static Map<String, String> parameters(String s, int from) throws HttpException {
        Map<String, String> out = new LinkedHashMap<>();
        int i = from;
        int n = s.length();
        while (true) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i == n) {
                return out;
            }
            if (s.charAt(i) != ';') {
                throw malformed("parameters must be separated by ';'");
            }
            i++;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i == n) {
                return out; // a trailing ';'
            }
            int nameStart = i;
            while (i < n && isTokenChar(s.charAt(i))) {
                i++;
            }
            if (i == nameStart || i == n || s.charAt(i) != '=') {
                throw malformed("a parameter must be name=value");
            }
            String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
            i++;
            String value;
            if (i < n && s.charAt(i) == '"') {
                StringBuilder v = new StringBuilder();
                i++;
                while (true) {
                    if (i == n) {
                        throw malformed("an unterminated quoted string");
                    }
                    char c = s.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\' && i < n && (s.charAt(i) == '"' || s.charAt(i) == '\\')) {
                        c = s.charAt(i++);
                    }
                    v.append(c);
                }
                value = v.toString();
            } else {
                int valueStart = i;
                while (i < n && isTokenChar(s.charAt(i))) {
                    i++;
                }
                if (i == valueStart) {
                    throw malformed("a parameter without a value");
                }
                value = s.substring(valueStart, i);
            }
            if (out.put(name, value) != null) {
                throw malformed("the parameter " + name + " is given twice");
            }
        }
    }

    /**
     * Decodes an RFC 8187 {@code ext-value} ({@code charset'language'pct-encoded}, as in
     * {@code filename*}); null if it is not one or its charset is unknown.
     */
    static String extValue(String v) {
        int q1 = v.indexOf('\'');
        int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
        if (q1 <= 0 || q2 < 0) {
            return null;
        }
        Charset cs;
        try {
            cs = Charset.forName(v.substring(0, q1));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
        byte[] out = new byte[v.length()];
        int n = 0;
        for (int i = q2 + 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%') {
                int hi = i + 2 < v.length() ? Character.digit(v.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(v.charAt(i + 2), 16);
                if (lo < 0) {
                    return null;
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c < 0x80 && isTokenChar(c) && c != '*' && c != '\'') {
                out[n++] = (byte) c;
            } else {
                return null;
            }
        }
        try {
            return cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** RFC 9110 tchar. */
    static boolean isTokenChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }
}
