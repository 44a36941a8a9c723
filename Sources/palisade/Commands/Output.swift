import ArgumentParser
import Foundation
import PalisadeModel

/// Output formats for reports.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes command output: to stdout, or atomically to a file so a failure never leaves partial output.
enum Output {
    static func write(_ text: String, to path: String?) throws {
        // Text files end with a newline (POSIX), so shells and `cat` don't glue the prompt to the last line.
        let text = text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(description: "error: cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    /// Prints diagnostics to stderr; throws `InputError` when any is an error.
    static func report(_ diagnostics: Diagnostics) throws {
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        if diagnostics.hasErrors {
            let count = diagnostics.errors.count
            throw InputError(description: "\(count) error\(count == 1 ? "" : "s"); nothing was written")
        }
    }
}

extension NameSpecification {
    /// One spelling for the output option in every command: `-o`/`--output`, with `--out` accepted as an alias.
    static let outputNames: NameSpecification = [.customShort("o"), .customLong("output"), .customLong("out")]
}
