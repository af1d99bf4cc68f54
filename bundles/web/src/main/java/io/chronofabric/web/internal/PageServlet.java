package io.chronofabric.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** {@code /chronofabric/*}: the page and its static files from this bundle's {@code static/} folder. */
final class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path == null) {
            resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
            return;
        }
        if (path.equals("/")) {
            path = "/index.html";
        }
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
        URL url = type == null || path.contains("..") || path.contains("//") ? null
                : PageServlet.class.getClassLoader().getResource("static" + path);
        if (url == null) {
            ApiServlet.write(resp, Api.Reply.error(404, "no such file " + req.getServletPath() + path));
            return;
        }
        resp.setContentType(type);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", path.startsWith("/vendor/") ? "max-age=86400" : "no-cache");
        if (type.startsWith("text/html")) {
            resp.setHeader("Content-Security-Policy",
                    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
            resp.setHeader("X-Frame-Options", "DENY");
        }
        try (InputStream in = url.openStream()) {
            in.transferTo(resp.getOutputStream());
        }
    }
}
