package dev.weft.arquillian.app;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Upgrades to the "echo" protocol when asked, and refuses anything else. */
@WebServlet("/upgrade")
public class UpgradeServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        if (!"echo".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            resp.sendError(400, "ask for Upgrade: echo");
            return;
        }
        resp.setStatus(101);
        resp.setHeader("Upgrade", "echo");
        resp.setHeader("Connection", "Upgrade");
        req.upgrade(EchoHandler.class);
    }
}
