package dev.weft.servlet;

import dev.weft.http.Headers;
import dev.weft.http.HttpException;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The parts of one {@code multipart/form-data} request (Servlet 6.1 §3.2, RFC 7578), read from the
 * body under a servlet's {@link MultipartConfigElement}: a part at or below the threshold is kept
 * in memory, a larger one is streamed to a temporary file as it arrives.
 *
 * <p>Limits: {@code maxRequestSize} over the body (checked against Content-Length before reading),
 * {@code maxFileSize} over each part, at most {@link #MAX_PARTS} parts, and, beyond the
 * threshold, at most {@link #memoryBudget} bytes held in memory over all the parts of a request,
 * past which parts go to disk whatever their size: many parts each just under a large threshold
 * would otherwise hold their sum in memory. A limit exceeded is an {@link IllegalStateException}
 * (as {@code getParts} documents) whose cause is an {@link HttpException} with status 413; a
 * malformed body is an {@link HttpException} with status 400. Either way the files written so far
 * are deleted at once.
 */
final class MultipartForm {
    /** Most parts in one request: every part may cost a temporary file. */
    static final int MAX_PARTS = 1_000;
    private static final int BUFFER = 32 << 10;

    private final List<FormPart> parts;

    private MultipartForm(List<FormPart> parts) {
        this.parts = parts;
    }

    /**
     * Reads the whole form from {@code body}.
     *
     * @param contentLength the declared length, or -1
     * @param location the folder for temporary files, created when first needed
     * @throws IllegalStateException when a limit is exceeded
     * @throws HttpException (400) when the body is malformed
     * @throws IOException when reading or writing fails
     */
    static MultipartForm parse(InputStream body, long contentLength, String contentType, MultipartConfigElement config,
            Path location) throws IOException {
        String boundary = MultipartReader.boundary(contentType);
        long maxRequest = config.getMaxRequestSize();
        if (maxRequest >= 0 && contentLength > maxRequest) {
            throw tooLarge("the request body of " + contentLength + " bytes is larger than maxRequestSize " + maxRequest);
        }
        List<FormPart> parts = new ArrayList<>();
        try {
            read(new MultipartReader(new Limited(body, maxRequest), boundary, BUFFER), config, location, parts);
        } catch (HttpException e) {
            deleteAll(parts);
            if (e.status() == 413) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            deleteAll(parts);
            throw e;
        }
        return new MultipartForm(parts);
    }

    private static void read(MultipartReader reader, MultipartConfigElement config, Path location, List<FormPart> parts)
            throws IOException {
        long maxFile = config.getMaxFileSize();
        long threshold = Math.max(0, config.getFileSizeThreshold());
        long budget = memoryBudget(config);
        long inMemory = 0;
        byte[] chunk = new byte[BUFFER];
        Headers h;
        while ((h = reader.nextPart()) != null) {
            if (parts.size() == MAX_PARTS) {
                throw new HttpException(413, "more than " + MAX_PARTS + " parts");
            }
            FormPart p = part(h, location);
            parts.add(p);
            long keep = Math.min(threshold, budget - inMemory); // the most this part may hold in memory
            byte[] mem = new byte[(int) Math.min(keep, 1024)];
            long size = 0;
            OutputStream file = null;
            try {
                int n;
                while ((n = reader.read(chunk, 0, chunk.length)) > 0) {
                    size += n;
                    if (maxFile >= 0 && size > maxFile) {
                        throw new HttpException(413, "part " + p.name + " is larger than maxFileSize " + maxFile);
                    }
                    if (file == null && size > keep) {
                        Files.createDirectories(location);
                        p.file = Files.createTempFile(location, "upload-", ".tmp");
                        file = Files.newOutputStream(p.file);
                        file.write(mem, 0, (int) (size - n));
                        mem = null;
                    }
                    if (file != null) {
                        file.write(chunk, 0, n);
                    } else {
                        if (size > mem.length) {
                            mem = Arrays.copyOf(mem, (int) Math.min(keep, Math.max(size, 2L * mem.length)));
                        }
                        System.arraycopy(chunk, 0, mem, (int) (size - n), n);
                    }
                }
            } finally {
                if (file != null) {
                    file.close();
                }
            }
            p.size = size;
            if (p.file == null) {
                p.data = mem.length == size ? mem : Arrays.copyOf(mem, (int) size);
                inMemory += size;
            }
        }
    }

    /** What a request may hold in memory over all its parts: the threshold, and never less than a form's worth. */
    static long memoryBudget(MultipartConfigElement config) {
        return Math.max(config.getFileSizeThreshold(), WeftRequest.MAX_FORM_BYTES);
    }

    /** A part from its header: Content-Disposition must be {@code form-data} with a name (RFC 7578 §4.2). */
    private static FormPart part(Headers h, Path location) throws HttpException {
        if (h.count("Content-Disposition") != 1) {
            throw MultipartReader.malformed("a part must have one Content-Disposition");
        }
        String cd = h.get("Content-Disposition");
        int semi = cd.indexOf(';');
        String type = (semi < 0 ? cd : cd.substring(0, semi)).strip();
        if (!type.equalsIgnoreCase("form-data")) {
            throw MultipartReader.malformed("a part's Content-Disposition is not form-data");
        }
        Map<String, String> params = semi < 0 ? Map.of() : MultipartReader.parameters(cd, semi);
        String name = params.get("name");
        if (name == null) {
            throw MultipartReader.malformed("a part without a name");
        }
        // RFC 7578 §4.2 says not to send filename*; when a client does, it is the more exact of the two.
        String fileName = params.get("filename");
        String ext = params.get("filename*");
        if (ext != null) {
            String decoded = MultipartReader.extValue(ext);
            if (decoded != null) {
                fileName = decoded;
            }
        }
        if (h.count("Content-Type") > 1) {
            throw MultipartReader.malformed("a part with more than one Content-Type");
        }
        return new FormPart(h, name, fileName, location);
    }

    private static IllegalStateException tooLarge(String message) {
        return new IllegalStateException(message, new HttpException(413, message));
    }

    Collection<Part> parts() {
        return new ArrayList<>(parts);
    }

    Part part(String name) {
        for (FormPart p : parts) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Adds the form fields (parts without a file name) to {@code into} as request parameters, in
     * order. A field's text is in the charset of its own Content-Type, else {@code explicit} (the
     * request's, as set or declared), else the one the {@code _charset_} field names (RFC 7578
     * §4.6), else {@code fallback}. Decoding is strict, as for urlencoded forms.
     *
     * @throws IllegalStateException for undecodable text (cause: 400), more than {@code maxParams}
     *     values in all or more than {@link WeftRequest#MAX_FORM_BYTES} of field text (cause: 413)
     */
    void addFieldsTo(Map<String, List<String>> into, Charset explicit, Charset fallback, int maxParams) {
        Charset charset = explicit;
        if (charset == null) {
            FormPart cs = (FormPart) part("_charset_");
            charset = cs != null && cs.fileName == null ? charset(new String(cs.bytes(), StandardCharsets.ISO_8859_1).strip())
                    : null;
        }
        if (charset == null) {
            charset = fallback;
        }
        int count = 0;
        for (List<String> values : into.values()) {
            count += values.size();
        }
        long bytes = 0;
        for (FormPart p : parts) {
            if (p.fileName != null) {
                continue;
            }
            bytes += p.size;
            if (bytes > WeftRequest.MAX_FORM_BYTES) {
                throw tooLarge("the form fields are larger than " + WeftRequest.MAX_FORM_BYTES + " bytes");
            }
            if (maxParams >= 0 && count >= maxParams) {
                throw tooLarge("more than " + maxParams + " request parameters");
            }
            String ct = p.getContentType();
            String declared = ct == null ? null : WeftRequest.charsetParam(ct);
            Charset cs = declared == null ? null : charset(declared);
            into.computeIfAbsent(p.name, k -> new ArrayList<>(1)).add(decode(p.bytes(), cs != null ? cs : charset));
            count++;
        }
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    private static String decode(byte[] b, Charset cs) {
        try {
            return cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            String message = "a form field is not valid " + cs.name();
            throw new IllegalStateException(message, new HttpException(400, message));
        }
    }

    /** Deletes the temporary files of the request; the files parts were written to are the application's. */
    void delete() {
        deleteAll(parts);
    }

    private static void deleteAll(List<FormPart> parts) {
        for (FormPart p : parts) {
            p.dropStorage();
        }
    }

    /**
     * Where an application's multipart temporary files go: {@code location} if absolute, else
     * below the application's temporary folder, the {@link ServletContext#TEMPDIR} attribute if
     * it is set, else a folder per context path under {@code java.io.tmpdir}.
     */
    static Path location(WebApp app, MultipartConfigElement config) {
        Object t = app.getAttribute(ServletContext.TEMPDIR);
        Path base;
        if (t instanceof File f) {
            base = f.toPath();
        } else if (t instanceof Path p) {
            base = p;
        } else {
            String cp = app.getContextPath();
            base = Path.of(System.getProperty("java.io.tmpdir"),
                    "weft-" + (cp.isEmpty() ? "ROOT" : cp.substring(1).replaceAll("[^A-Za-z0-9._-]", "_")));
        }
        String loc = config.getLocation();
        if (loc == null || loc.isEmpty()) {
            return base.toAbsolutePath();
        }
        Path l = Path.of(loc);
        return (l.isAbsolute() ? l : base.resolve(l)).toAbsolutePath();
    }

    /** Reads the body up to {@code max} bytes (none if negative) and no further. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (max >= 0) {
                // One byte past the limit tells a body at the limit from one over it.
                len = (int) Math.min(len, max + 1 - count);
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (max >= 0 && count > max) {
                    throw new HttpException(413, "the request body is larger than maxRequestSize " + max);
                }
            }
            return n;
        }
    }

    /** One part: in memory, in a temporary file, or, once written, in the application's file. */
    static final class FormPart implements Part {
        private final Headers headers;
        final String name;
        final String fileName;
        private final Path location;
        long size;
        byte[] data; // in memory
        Path file; // on disk: the temporary file, or where write() moved it
        private boolean moved; // file is the application's now
        private boolean deleted;

        FormPart(Headers headers, String name, String fileName, Path location) {
            this.headers = headers;
            this.name = name;
            this.fileName = fileName;
            this.location = location;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            if (deleted) {
                throw new IOException("part " + name + " has been deleted");
            }
            return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(data);
        }

        /** The content, for a form field; fields are bounded before this is asked. */
        byte[] bytes() {
            if (data != null) {
                return data;
            }
            if (deleted) {
                throw new IllegalStateException("form field " + name + " was deleted before the parameters were read");
            }
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalStateException("reading form field " + name + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public String getContentType() {
            return headers.get("Content-Type");
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getSubmittedFileName() {
            return fileName;
        }

        @Override
        public long getSize() {
            return size;
        }

        /** Moves the temporary file where it can (a rename on one file system), else copies. */
        @Override
        public void write(String fileName) throws IOException {
            if (deleted) {
                throw new IOException("part " + name + " has been deleted");
            }
            Path target = Path.of(fileName);
            if (!target.isAbsolute()) {
                target = location.resolve(target);
                Files.createDirectories(location); // not there yet if every part stayed in memory
            }
            if (file == null) {
                Files.write(target, data);
            } else if (moved) {
                // Written before: that file is the application's, so this is a copy of it.
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
                file = target;
                moved = true;
            }
        }

        @Override
        public void delete() throws IOException {
            dropStorage();
        }

        void dropStorage() {
            deleted = true;
            data = null;
            if (file != null && !moved) {
                try {
                    Files.deleteIfExists(file);
                } catch (NoSuchFileException ignored) {
                    // Gone already.
                } catch (IOException e) {
                    // Nothing the request can do about it; the folder is the application's temporary one.
                }
            }
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name);
        }

        @Override
        public Collection<String> getHeaders(String name) {
            return new ArrayList<>(headers.values(name));
        }

        @Override
        public Collection<String> getHeaderNames() {
            return new ArrayList<>(headers.names());
        }

        @Override
        public String toString() {
            return "part " + name + (fileName == null ? "" : " (" + fileName + ")") + ", " + size + " bytes";
        }
    }
}
