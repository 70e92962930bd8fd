package io.edgerag.ingest;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.parser.apache.pdfbox.ApachePdfBoxDocumentParser;
import dev.langchain4j.data.document.transformer.jsoup.HtmlToTextDocumentTransformer;

import java.io.ByteArrayInputStream;
import java.util.Locale;

/** Turns an uploaded file into plain text with LangChain4j's parsers (PDFBox, jsoup), chosen by type. */
public final class DocumentParsing {

    public enum Format { TEXT, MARKDOWN, HTML, PDF }

    private DocumentParsing() {
    }

    /** Picks the format from the file extension first, then the declared content type. */
    public static Format detect(String fileName, String contentType) {
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".txt") || name.endsWith(".text")) {
            return Format.TEXT;
        }
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return Format.MARKDOWN;
        }
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return Format.HTML;
        }
        if (name.endsWith(".pdf")) {
            return Format.PDF;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return switch (type) {
            case "text/plain" -> Format.TEXT;
            case "text/markdown", "text/x-markdown" -> Format.MARKDOWN;
            case "text/html", "application/xhtml+xml" -> Format.HTML;
            case "application/pdf" -> Format.PDF;
            default -> throw new UnsupportedDocumentTypeException("Unsupported document type '"
                    + (fileName == null ? "" : fileName) + "' (" + (type.isEmpty() ? "no content type" : type)
                    + "): upload .txt, .md, .html or .pdf");
        };
    }

    /** @return the document's text; blank when the file holds no text (e.g. a scanned PDF). */
    public static String toText(byte[] bytes, Format format) {
        if (bytes.length == 0) {
            return "";
        }
        try {
            return switch (format) {
                case TEXT, MARKDOWN -> new TextDocumentParser().parse(new ByteArrayInputStream(bytes)).text();
                case HTML -> {
                    Document html = new TextDocumentParser().parse(new ByteArrayInputStream(bytes));
                    yield new HtmlToTextDocumentTransformer().transform(html).text();
                }
                case PDF -> new ApachePdfBoxDocumentParser().parse(new ByteArrayInputStream(bytes)).text();
            };
        } catch (dev.langchain4j.data.document.BlankDocumentException e) {
            return "";
        } catch (RuntimeException e) {
            // a corrupt or truncated file is the uploader's problem, not a server error (found by fuzzing)
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new io.edgerag.common.InvalidRequestException("The file could not be read as " + format
                    + ": " + cause.getMessage());
        }
    }
}
