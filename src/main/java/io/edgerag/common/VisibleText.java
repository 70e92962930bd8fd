package io.edgerag.common;

/**
 * Whether a text has anything a tokenizer keeps: a letter, digit, punctuation or symbol. Blank by
 * {@link String#isBlank()} is not enough: format characters (bidi overrides, zero-width spaces) and lone
 * combining marks are not whitespace, yet the embedding model's tokenizer drops them and then refuses an
 * empty input (found by the API fuzz campaign: a document of {@code U+202E U+2066} was a 500).
 */
public final class VisibleText {

    private VisibleText() {
    }

    public static boolean hasAny(String text) {
        return text != null && text.codePoints().anyMatch(VisibleText::visible);
    }

    private static boolean visible(int cp) {
        if (Character.isWhitespace(cp) || Character.isISOControl(cp)) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.FORMAT, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.UNASSIGNED, Character.SURROGATE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
