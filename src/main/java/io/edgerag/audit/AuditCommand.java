package io.edgerag.audit;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar edgerag.jar audit verify <file>}: checks a log (the live one, or an export) without
 * starting the appliance, so it also runs beside a running one. Exit code 0: the chain holds; 1: broken;
 * 2: usage or unreadable file.
 */
public final class AuditCommand {

    private AuditCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 3 || !args[1].equals("verify")) {
            err.println("usage: edgerag audit verify <audit.jsonl>");
            return 2;
        }
        Path file = Path.of(args[2]);
        if (!Files.isRegularFile(file)) {
            err.println("not a file: " + file);
            return 2;
        }
        AuditChain.Report report;
        try {
            report = AuditChain.verify(file);
        } catch (RuntimeException e) {
            err.println("cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        out.println(file + ": " + report.describe());
        return report.ok() ? 0 : 1;
    }
}
