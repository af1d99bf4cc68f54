package io.chronofabric.compute.probe.common;

import java.io.File;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** File-system checks for drivers and devices (nothing is loaded or opened). */
public final class Probe {

    /**
     * What a probe found.
     *
     * @param device what was seen (device nodes, libraries), or "none"
     * @param reason why the backend cannot run, naming what is missing
     */
    public record Finding(String device, String reason) {
    }

    private final Path root;

    /** Checks the real file system. */
    public Probe() {
        this(Path.of("/"));
    }

    /** Checks below {@code root} (tests use a temporary folder). */
    public Probe(Path root) {
        this.root = root;
    }

    private Path p(String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    /** Standard library folders plus LD_LIBRARY_PATH. */
    public List<String> libraryDirs(String... extra) {
        Set<String> dirs = new LinkedHashSet<>(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/usr/local/lib", "/lib/x86_64-linux-gnu"));
        dirs.addAll(List.of(extra));
        if (root.equals(Path.of("/"))) {
            String ld = System.getenv("LD_LIBRARY_PATH");
            if (ld != null) {
                for (String d : ld.split(File.pathSeparator)) {
                    if (!d.isBlank()) {
                        dirs.add(d);
                    }
                }
            }
        }
        return new ArrayList<>(dirs);
    }

    /** The first folder holding one of the library names, as "dir/name", or null. */
    public String findLibrary(List<String> dirs, String... names) {
        for (String d : dirs) {
            for (String n : names) {
                if (Files.exists(p(d).resolve(n))) {
                    return d + "/" + n;
                }
            }
        }
        return null;
    }

    /** Entries of {@code dir} whose names start with {@code prefix}, as absolute paths. */
    public List<String> list(String dir, String prefix) {
        List<String> out = new ArrayList<>();
        Path d = p(dir);
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d, prefix + "*")) {
            for (Path e : s) {
                out.add(dir + "/" + e.getFileName());
            }
        } catch (java.io.IOException e) {
            // unreadable folder: nothing found there
        }
        out.sort(null);
        return out;
    }

    public boolean exists(String absolute) {
        return Files.exists(p(absolute));
    }
}
