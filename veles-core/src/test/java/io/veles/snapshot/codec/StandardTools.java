package io.veles.snapshot.codec;

import static org.junit.jupiter.api.Assertions.fail;

import io.veles.testing.ChildProcess;
import io.veles.testing.ChildProcess.Result;
import io.veles.testing.Requirement;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs each codec's standard command-line tool on our files: gzip, bzip2, xz, zstd, lz4, and
 * python-snappy's framing-format reader. When a tool is missing, the calling test is skipped with
 * a message, unless {@code VELES_REQUIRE_TOOLS=1} (as on CI), where it fails.
 *
 * <p>Debian's python3-snappy 0.5.3 ships a CRC32C helper that fails on Python 3.11
 * ("PY_SSIZE_T_CLEAN macro must be defined"), so its framing reader is given the crc32c
 * package's function; the framing parser and its checksum checks are python-snappy's own.
 */
public final class StandardTools {
    private static final String PYTHON = "/usr/bin/python3";
    /** python-snappy's framing reader with a working CRC32C: reads stdin, writes stdout. */
    private static final String SNAPPY_READER = "import sys, crc32c, snappy.snappy as s; s._crc32c = crc32c.crc32c; "
            + "d = s.StreamDecompressor(); out = sys.stdout.buffer; "
            + "[out.write(d.decompress(c)) for c in iter(lambda: sys.stdin.buffer.read(65536), b'')]; d.flush()";

    private StandardTools() {}

    /** True if the tool for {@code codec} can run here. */
    public static boolean available(Codec codec) {
        if (codec == Codec.SNAPPY) {
            return run(List.of(PYTHON, "-c", "import snappy, crc32c"), null).exitCode() == 0;
        }
        return onPath(tool(codec));
    }

    /** The tool's integrity test passes on {@code file}. */
    public static void assertToolAccepts(Codec codec, Path file) {
        requireTool(codec);
        Result result = codec == Codec.SNAPPY
                ? run(List.of(PYTHON, "-c", SNAPPY_READER), file)
                : run(List.of(tool(codec), "-t", file.toString()), null);
        if (result.exitCode() != 0) {
            fail(tool(codec) + " rejects " + file + ": " + result.stderr());
        }
    }

    /** What the tool decompresses {@code file} to. */
    public static byte[] decompressWithTool(Codec codec, Path file) {
        requireTool(codec);
        Result result = codec == Codec.SNAPPY
                ? run(List.of(PYTHON, "-c", SNAPPY_READER), file)
                : run(List.of(tool(codec), "-dc", file.toString()), null);
        if (result.exitCode() != 0) {
            fail(tool(codec) + " cannot decompress " + file + ": " + result.stderr());
        }
        return result.stdout();
    }

    /** Compresses {@code in} into {@code out} with the tool, at its default level. */
    public static void compressWithTool(Codec codec, Path in, Path out) {
        requireTool(codec);
        Result result = codec == Codec.SNAPPY
                ? run(
                        List.of(
                                PYTHON,
                                "-c",
                                "import sys, crc32c, snappy.snappy as s; s._crc32c = crc32c.crc32c; "
                                        + "s.stream_compress(open(sys.argv[1], 'rb'), open(sys.argv[2], 'wb'))",
                                in.toString(),
                                out.toString()),
                        null)
                : run(List.of("sh", "-c", tool(codec) + " -c < '" + in + "' > '" + out + "'"), null);
        if (result.exitCode() != 0) {
            fail(tool(codec) + " cannot compress " + in + ": " + result.stderr());
        }
    }

    private static void requireTool(Codec codec) {
        if (available(codec)) {
            return;
        }
        String message = "the " + tool(codec) + " tool is missing; .ci/install-tools installs it";
        Requirement.skipOrFail("VELES_REQUIRE_TOOLS", message);
    }

    private static String tool(Codec codec) {
        switch (codec) {
            case GZIP:
                return "gzip";
            case BZIP2:
                return "bzip2";
            case XZ:
                return "xz";
            case ZSTD:
                return "zstd";
            case LZ4:
                return "lz4";
            case SNAPPY:
                return "python3-snappy";
            default:
                throw new IllegalArgumentException(codec + " has no tool");
        }
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a tool to its end; one that cannot start (python3 missing) gives exit code -1 and the reason. */
    private static Result run(List<String> command, Path stdin) {
        try {
            ChildProcess tool = ChildProcess.of(command);
            return (stdin == null ? tool : tool.input(stdin)).run();
        } catch (IOException e) {
            return new Result(-1, new byte[0], e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, new byte[0], "interrupted");
        }
    }
}
