package dev.weft.arquillian;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * A real HTTP client for the tests: no redirects followed, no retries, no authentication of its
 * own, cookies kept between requests of one instance, every wait bounded.
 */
final class Http implements AutoCloseable {
    /** One answer: status, header fields and body as text. */
    record Reply(int status, Header[] headers, String body) {
        String header(String name) {
            for (Header h : headers) {
                if (h.getName().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }

        String allHeaders(String name) {
            StringBuilder sb = new StringBuilder();
            for (Header h : headers) {
                if (h.getName().equalsIgnoreCase(name)) {
                    sb.append(sb.isEmpty() ? "" : ",").append(h.getValue());
                }
            }
            return sb.toString();
        }
    }

    private final BasicCookieStore cookies = new BasicCookieStore();
    private final CloseableHttpClient client;

    Http() {
        this(null);
    }

    /** A client for HTTPS that trusts what {@code tls} trusts. */
    Http(SSLContext tls) {
        var builder = HttpClients.custom();
        if (tls != null) {
            builder.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildClassic())
                    .build());
        }
        client = builder
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableAuthCaching()
                .setDefaultCookieStore(cookies)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.ofSeconds(10))
                        .setResponseTimeout(Timeout.ofSeconds(10))
                        .build())
                .build();
    }

    static URI uri(URL base, String path) {
        return URI.create(base.toString()).resolve(path);
    }

    Reply get(URI uri, String... headers) throws IOException {
        return send(new HttpGet(uri), headers);
    }

    Reply get(URL base, String path, String... headers) throws IOException {
        return get(uri(base, path), headers);
    }

    Reply post(URL base, String path, String body, String... headers) throws IOException {
        HttpPost post = new HttpPost(uri(base, path));
        post.setEntity(new StringEntity(body, ContentType.TEXT_PLAIN));
        return send(post, headers);
    }

    /** The Authorization field value of BASIC authentication. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Reply send(HttpUriRequestBase request, String... headers) throws IOException {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.addHeader(headers[i], headers[i + 1]);
        }
        return client.execute(request, response -> new Reply(response.getCode(), response.getHeaders(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
