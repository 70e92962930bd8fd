package io.edgerag.generation;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Makes document text safe to put between the prompt's passage delimiters: a document is written by
 * whoever could ingest it, so it may try to close its passage early ({@code </passage>}), forge a chat
 * template's role tokens ({@code <|start_header_id|>system}, {@code [INST]}, {@code <<SYS>>}) or open a
 * line as another speaker ({@code SYSTEM: ...}). After quoting none of these is left as written: a
 * {@code <} that begins a tag-like sequence becomes {@code &lt;} (models read it as the character),
 * {@code [INST]} becomes {@code (INST)}, and a role name opening a line is marked {@code [quoted]}.
 * Ordinary text, including {@code a < b}, comes through unchanged (in NFKC form: compatibility
 * characters such as fullwidth letters are folded first).
 */
public final class PassageQuoting {

    /** {@code <passage}, {@code </passage}, {@code <|eot_id|>}, {@code <s>}, {@code <<SYS>>}, {@code <!--}. */
    private static final Pattern TAG_OPENER = Pattern.compile("<(?=[/|!<A-Za-z]|\\s*/|\\s*passage)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INST = Pattern.compile("\\[(\\s*/?\\s*INST\\s*)]", Pattern.CASE_INSENSITIVE);
    /** Blanks (also Unicode and zero-width ones) and markdown quote/heading/bold marks may precede it. */
    static final Pattern ROLE_AT_LINE_START = Pattern.compile(
            "^([\\s\\p{Z}\\p{Cf}>#*]*)(system|assistant|user|developer|tool|human|ai)([\\s\\p{Z}\\p{Cf}*_]*:)",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private PassageQuoting() {
    }

    public static String quote(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        // NFKC first: fullwidth ＜/passage＞ or a ligature must not slip past as look-alikes of what is escaped
        String quoted = TAG_OPENER.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC)).replaceAll("&lt;");
        quoted = INST.matcher(quoted).replaceAll("($1)");
        return ROLE_AT_LINE_START.matcher(quoted).replaceAll("$1[quoted] $2$3");
    }

    /** A title goes into the delimiter's attribute: one line, no quote that could end the attribute. */
    public static String quoteTitle(String title) {
        return quote(title.strip().replaceAll("[\\r\\n\\t]+", " ")).replace("\"", "&quot;");
    }
}
