package dev.weft.examples.war;

import jakarta.servlet.ServletContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** {@code GET /info}: what the listener and the initializer left behind, one {@code key=value} a line. */
@WebServlet("/info")
public class InfoServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ServletContext ctx = getServletContext();
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        PrintWriter out = resp.getWriter();
        out.println("startedBy=" + ctx.getAttribute(StartupListener.STARTED_BY));
        out.println("requests=" + ctx.getAttribute(StartupListener.REQUESTS));
        out.println("handlesTypes=" + ctx.getAttribute("examples.sci.handlesTypes"));
        out.println("version=" + ctx.getEffectiveMajorVersion() + "." + ctx.getEffectiveMinorVersion());
        out.println("displayName=" + ctx.getServletContextName());
        out.println("classLoader=" + getClass().getClassLoader());
    }
}
