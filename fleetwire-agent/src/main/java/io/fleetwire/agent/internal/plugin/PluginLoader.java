package io.fleetwire.agent.internal.plugin;

import io.fleetwire.agent.CommandPlugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds {@link CommandPlugin}s with {@link ServiceLoader}: on the agent's own classpath, and in each
 * {@code *.jar} of a plug-in directory, each jar with its own class loader. A jar that cannot be
 * read, lists a class that is missing or fails to construct, or lists no plug-in at all is a
 * problem to report, never a reason to stop: the others still load.
 */
public final class PluginLoader {

    /** The plug-ins found, and what went wrong on the way (one clear sentence each). */
    public record Found(List<CommandPlugin> plugins, List<String> problems) {
    }

    private PluginLoader() {
    }

    /** @param dir a directory of plug-in jars; null or absent: the classpath only */
    public static Found load(ClassLoader classpath, Path dir) {
        List<CommandPlugin> plugins = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        collect(ServiceLoader.load(CommandPlugin.class, classpath), null, "the classpath", plugins, problems);
        if (dir == null || !Files.isDirectory(dir)) {
            return new Found(plugins, problems);
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            problems.add("cannot list the plug-in directory " + dir + ": " + e.getMessage());
            return new Found(plugins, problems);
        }
        for (Path jar : jars) {
            URLClassLoader loader;
            try {
                loader = new URLClassLoader("plugin:" + jar.getFileName(), new URL[]{jar.toUri().toURL()}, classpath);
            } catch (MalformedURLException e) {
                problems.add("plug-in " + jar + ": " + e.getMessage());
                continue;
            }
            int before = plugins.size();
            int problemsBefore = problems.size();
            collect(ServiceLoader.load(CommandPlugin.class, loader), loader, "plug-in " + jar, plugins, problems);
            if (plugins.size() == before && problems.size() == problemsBefore) {
                problems.add("plug-in " + jar + " lists no " + CommandPlugin.class.getName()
                        + " in META-INF/services (or is not a readable jar); nothing loaded from it");
            }
        }
        return new Found(plugins, problems);
    }

    /** Instantiates each provider; with {@code own} set, only those defined by that loader (not the classpath's again). */
    private static void collect(ServiceLoader<CommandPlugin> services, ClassLoader own, String where, List<CommandPlugin> plugins,
                                List<String> problems) {
        Iterator<CommandPlugin> it = services.iterator();
        String last = null;
        // After an error the iterator tries the next provider, but may fail the same way again: stop then.
        for (int errors = 0; errors < 32; ) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                CommandPlugin p = it.next();
                if (own == null || p.getClass().getClassLoader() == own) {
                    plugins.add(p);
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                String problem = where + ": " + message(e);
                if (problem.equals(last)) {
                    return;
                }
                problems.add(problem);
                last = problem;
                errors++;
            }
        }
    }

    private static String message(Throwable e) {
        Throwable cause = e.getCause();
        return e.getMessage() + (cause == null ? "" : " (" + cause + ")");
    }
}
