package io.chronofabric.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** {@code /chronofabric/api/*}: JSON endpoints, the SSE stream at {@code /events}, POST {@code /publish}. */
final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<Sources> sources;
    private final transient Supplier<WebConfig> config;
    private final transient Supplier<SseHub> hub;
    private final transient Supplier<Api.Authenticator> auth;

    ApiServlet(Supplier<Sources> sources, Supplier<WebConfig> config, Supplier<SseHub> hub,
            Supplier<Api.Authenticator> auth) {
        this.sources = sources;
        this.config = config;
        this.hub = hub;
        this.auth = auth;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("/events".equals(req.getPathInfo())) {
            events(req, resp);
            return;
        }
        Api.Reply r;
        try {
            r = Api.get(req.getPathInfo(), req.getParameterMap(), sources.get(), config.get());
        } catch (RuntimeException e) {
            r = Api.Reply.error(500, e.toString());
        }
        write(resp, r);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Api.Reply r;
        try {
            r = Api.post(req.getPathInfo(), req.getParameterMap(), req.getHeader("Authorization"), sources.get(),
                    config.get(), auth.get());
        } catch (RuntimeException e) {
            r = Api.Reply.error(500, e.toString());
        }
        write(resp, r);
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doPost(req, resp);
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doPost(req, resp);
    }

    static void write(HttpServletResponse resp, Api.Reply r) throws IOException {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(r.status());
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            resp.setHeader(h.getKey(), h.getValue());
        }
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private void events(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.isAsyncSupported()) {
            write(resp, Api.Reply.error(500, "this servlet was registered without async support"));
            return;
        }
        SseHub h = hub.get();
        if (!h.hasRoom()) {
            write(resp, Api.Reply.error(503, "too many Server-Sent Events clients (max.sse.clients)"));
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        AsyncContext ac = req.startAsync();
        ac.setTimeout(0);
        ServletOutputStream out = resp.getOutputStream();
        Client c = new Client(ac, out);
        ac.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent e) {
                h.remove(c);
            }

            @Override
            public void onTimeout(AsyncEvent e) {
                h.remove(c);
                c.close();
            }

            @Override
            public void onError(AsyncEvent e) {
                h.remove(c);
                c.close();
            }

            @Override
            public void onStartAsync(AsyncEvent e) {
                // not restarted
            }
        });
        out.write("retry: 3000\n\n".getBytes(StandardCharsets.UTF_8));
        resp.flushBuffer();
        // from here on writes never block the hub's thread: a client that does not read loses
        // snapshots, and one that has not read for MAX_SKIPPED ticks is closed
        out.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                // the next tick writes
            }

            @Override
            public void onError(Throwable t) {
                h.remove(c);
                c.close();
            }
        });
        if (!h.add(c)) {
            c.close(); // filled up meanwhile, or stopping
        }
    }

    /** Snapshots a client may leave unread before it is closed. */
    static final int MAX_SKIPPED = 10;

    /** One SSE response in non-blocking mode; writes come from the hub's single ticking thread. */
    private static final class Client implements SseHub.Client {
        private final AsyncContext ac;
        private final ServletOutputStream out;
        private boolean done;
        private int skipped;

        Client(AsyncContext ac, ServletOutputStream out) {
            this.ac = ac;
            this.out = out;
        }

        @Override
        public synchronized void send(String event) throws IOException {
            if (done) {
                throw new IOException("closed");
            }
            if (!out.isReady()) {
                if (++skipped >= MAX_SKIPPED) {
                    throw new IOException("the client has not read " + skipped + " snapshots");
                }
                return;
            }
            skipped = 0;
            out.write(event.getBytes(StandardCharsets.UTF_8));
            if (out.isReady()) {
                out.flush();
            }
        }

        @Override
        public synchronized void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                ac.complete();
            } catch (IllegalStateException alreadyDone) {
                // completed by the container
            }
        }
    }
}
