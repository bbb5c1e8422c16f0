package dev.weft.arquillian.app;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * /async/complete answers from another thread, /async/dispatch dispatches to /async-target,
 * /async/timeout never completes and is answered by its listener when the timeout passes.
 */
@WebServlet(urlPatterns = "/async/*", asyncSupported = true)
public class AsyncServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        AsyncContext ac = req.startAsync();
        resp.setContentType("text/plain;charset=UTF-8");
        switch (String.valueOf(req.getPathInfo())) {
            case "/complete" -> {
                String caller = Thread.currentThread().getName();
                ac.start(() -> {
                    try {
                        ac.getResponse().getWriter().print("completed elsewhere=" + !Thread.currentThread().getName().equals(caller)
                                + " async=" + req.isAsyncStarted());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    ac.complete();
                });
            }
            case "/dispatch" -> ac.dispatch("/async-target");
            case "/timeout" -> {
                ac.setTimeout(200);
                ac.addListener(new AsyncListener() {
                    @Override
                    public void onTimeout(AsyncEvent event) throws IOException {
                        event.getAsyncContext().getResponse().getWriter().print("timed out");
                        event.getAsyncContext().complete();
                    }

                    @Override
                    public void onComplete(AsyncEvent event) {}

                    @Override
                    public void onError(AsyncEvent event) {}

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            }
            default -> {
                resp.setStatus(404);
                ac.complete();
            }
        }
    }
}
