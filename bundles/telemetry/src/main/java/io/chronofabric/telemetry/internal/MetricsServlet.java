package io.chronofabric.telemetry.internal;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** The Prometheus text format (0.0.4) of whatever the supplier collects at request time. */
final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<MetricSnapshots> collect;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    MetricsServlet(Supplier<MetricSnapshots> collect) {
        this.collect = collect;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        MetricSnapshots snapshots = collect.get();
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        try (OutputStream out = resp.getOutputStream()) {
            writer.write(out, snapshots, EscapingScheme.UNDERSCORE_ESCAPING);
        }
    }
}
