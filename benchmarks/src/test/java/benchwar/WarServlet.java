package benchwar;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The pinning test's web application, packed into a WAR from the compiled test classes. Its
 * helpers are first touched here, on request threads, so the application's class loader runs
 * on virtual threads, several at once when the first requests arrive together.
 */
@WebServlet("/hello")
public class WarServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String who = req.getParameter("who");
        String text = WarGreeting.greet(who == null ? "war" : who) + " " + WarCounter.next();
        res.setContentType("text/plain");
        res.getWriter().print(text);
    }
}
