import Foundation

/// Catches a mistyped subcommand (`palisade chek`) before it is read as plan's INPUT file.
///
/// The first argument is taken as a subcommand typo only when it is not an option, not an existing file or
/// directory, has no path separator or file extension, and is within edit distance 2 of a subcommand name.
enum SubcommandSuggestion {
    /// An error message naming the closest subcommand, or nil when the arguments should be parsed normally.
    static func message(for arguments: [String], subcommands: [String],
                        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !subcommands.contains(first), first != "help",
              !first.contains("/"), !first.contains("."), !fileExists(first)
        else { return nil }
        let lowered = first.lowercased()
        let ranked = subcommands.map { ($0, editDistance(lowered, $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best = ranked.first else { return nil }
        let limit = lowered.count <= 3 ? 1 : 2
        if best.1 <= limit || best.0.hasPrefix(lowered) && lowered.count >= 2 {
            return "error: '\(first)' is not a palisade command. Did you mean '\(best.0)'?\n"
                + "Commands: \(subcommands.joined(separator: ", ")). Run `palisade --help` for details."
        }
        return "error: '\(first)' is neither a palisade command nor an existing file.\n"
            + "Commands: \(subcommands.joined(separator: ", ")). Run `palisade --help` for details."
    }

    /// Levenshtein distance (insertions, deletions, substitutions; each costs 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
