package io.fleetwire.agent.internal.update;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Agent versions: names safe as a directory ({@code versions/<version>}), ordered like semantic
 * versions: dotted parts compared as numbers where both are numbers, a pre-release ({@code -…}) before
 * its release ({@code 0.2.0-SNAPSHOT < 0.2.0}), build metadata ({@code +…}) ignored.
 */
public final class Versions {

    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,63}");

    private Versions() {
    }

    /** Why {@code version} cannot name an installed version, or null when it can. */
    public static String problem(String version) {
        if (version == null || !NAME.matcher(version).matches() || version.contains("..")) {
            return "'" + version + "' is not a usable version (1-64 of letters, digits and . _ + -, starting with a letter or digit)";
        }
        return null;
    }

    public static int compare(String a, String b) {
        String[] x = split(a);
        String[] y = split(b);
        int c = compareDotted(x[0], y[0]);
        if (c != 0) {
            return c;
        }
        if (x[1] == null || y[1] == null) {
            return x[1] == null ? (y[1] == null ? 0 : 1) : -1;
        }
        return compareDotted(x[1], y[1]);
    }

    /** {release, pre-release or null}, build metadata dropped. */
    private static String[] split(String v) {
        int plus = v.indexOf('+');
        String s = plus < 0 ? v : v.substring(0, plus);
        int dash = s.indexOf('-');
        return dash < 0 ? new String[]{s, null} : new String[]{s.substring(0, dash), s.substring(dash + 1)};
    }

    private static int compareDotted(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+") ? new BigInteger(p).compareTo(new BigInteger(q)) : p.compareTo(q);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }
}
