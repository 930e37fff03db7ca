package io.siplb.sip;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of a torture-test corpus index ({@code sip/rfc4475/index.tsv}, {@code sip/rfc5118/index.tsv}):
 * file, section, expected verdict, stateless proxy action, notes.
 */
record TortureCase(String file, String section, String expected, String action, String notes) {

    static List<TortureCase> load(String folder) {
        List<TortureCase> cases = new ArrayList<>();
        String[] lines = SipText.resourceText(folder + "/index.tsv").split("\n");
        for (int i = 1; i < lines.length; i++) { // line 0 is the header row
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cols = lines[i].split("\t", -1);
            cases.add(new TortureCase(cols[0], cols[1], cols[2], cols[4], cols[8]));
        }
        return cases;
    }

    boolean invalid() {
        return expected.equals("invalid");
    }

    /** The status code of a "respond NNN" action, else 0. */
    int respondCode() {
        return action.startsWith("respond ") ? Integer.parseInt(action.substring(8, 11)) : 0;
    }

    @Override
    public String toString() {
        return file + " (" + section + ", " + expected + ", " + action + ')';
    }
}
