package dev.weft.test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Requests through the client the extension hands out, answers as status, fields and text. */
final class Http {
    private Http() {}

    record Reply(int status, Header[] headers, String body) {
        String header(String name) {
            for (Header h : headers) {
                if (h.getName().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    static Reply get(CloseableHttpClient client, URI uri, String... headers) throws IOException {
        HttpGet get = new HttpGet(uri);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            get.addHeader(headers[i], headers[i + 1]);
        }
        return client.execute(get, r -> new Reply(r.getCode(), r.getHeaders(),
                r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8)));
    }
}
