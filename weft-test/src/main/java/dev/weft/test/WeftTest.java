package dev.weft.test;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.EventListener;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a Weft server on a free loopback port before the tests of the annotated class, serving
 * one web application, and stops it after them. The application is one of:
 * <ul>
 *   <li>the {@link #servlets}, {@link #filters} and {@link #listeners} named here, configured by
 *       their {@code @WebServlet}, {@code @WebFilter} (and {@code @MultipartConfig},
 *       {@code @ServletSecurity}) annotations, loaded by the test's own class loader, so a test
 *       and its servlets share static state;
 *   <li>an exploded WAR folder ({@link #exploded}) or a WAR file ({@link #war}), deployed through
 *       the WAR deployer as Weft deploys any application, with a class loader of its own.
 * </ul>
 * Test constructors, test methods and lifecycle methods receive, by parameter type, the base
 * {@link java.net.URI} of the application (ending with {@code /}), a ready Apache HttpClient 5
 * {@code CloseableHttpClient}, and the application's {@link jakarta.servlet.ServletContext}.
 * A {@code @Nested} class shares its enclosing class's server unless annotated itself.
 *
 * <pre>
 * &#64;WeftTest(servlets = HelloServlet.class)
 * class HelloTest {
 *     &#64;Test
 *     void hello(URI base, CloseableHttpClient client) throws Exception {
 *         String body = client.execute(new HttpGet(base.resolve("hello")), r -&gt; EntityUtils.toString(r.getEntity()));
 *         assertEquals("Hello", body);
 *     }
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WeftExtension.class)
public @interface WeftTest {
    /** Servlets, each mapped by its {@code @WebServlet}, which it must have. */
    Class<? extends Servlet>[] servlets() default {};

    /** Filters, each mapped by its {@code @WebFilter}, or to {@code /*} without one. */
    Class<? extends Filter>[] filters() default {};

    /** Listeners of the context, its requests and its sessions. */
    Class<? extends EventListener>[] listeners() default {};

    /** A folder of static resources for the servlets, relative to the working directory; none by default. */
    String resources() default "";

    /** An exploded WAR folder to deploy instead, relative to the working directory. */
    String exploded() default "";

    /** A WAR file to deploy instead, relative to the working directory. */
    String war() default "";

    /** The context path; {@code /} (the root) by default. */
    String contextPath() default "/";

    /**
     * Users of the default realm, one an entry: {@code "name = password, role, role"}. Their
     * passwords are in the test's source, so they are hashed with a fast, weak setting.
     */
    String[] users() default {};

    /** Whether the server accepts on 127.0.0.1 (the default) or on every address. */
    boolean loopbackOnly() default true;
}
