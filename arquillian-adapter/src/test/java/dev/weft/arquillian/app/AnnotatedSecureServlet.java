package dev.weft.arquillian.app;

import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Protected by its annotation alone, not by web.xml. */
@WebServlet("/annotated")
@ServletSecurity(@HttpConstraint(rolesAllowed = "admin"))
public class AnnotatedSecureServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("annotated for " + req.getRemoteUser());
    }
}
