import PalisadeModel
import PalisadeRules

/// A verified fix's Bicep snippet turned into edits of the user's own `.bicep` file, for SARIF `fixes`. A changed
/// `key: value` line is placed through the property locations the Bicep reader recorded: the one property of the
/// changed resource whose path ends in that key, written as a literal equal to the old value. Anything else (added
/// or removed properties or resources, values from parameters or expressions, a key that names several properties)
/// leaves the fix without a patch, never with part of one.
enum BicepFixPatch {
    /// One `key: value` the snippet changes, in the block of a resource of `type`.
    struct ValueChange: Equatable {
        var type: String
        var key: String
        var old: String
        var new: String
    }

    /// The value changes in `snippet`, or nil when it holds anything else.
    static func changes(in snippet: String) -> [ValueChange]? {
        var result: [ValueChange] = []
        var type: String?
        var removed: [(String, String)] = []
        var added: [(String, String)] = []
        func settle() -> Bool {
            guard removed.count == added.count else { return false }
            for (old, new) in zip(removed, added) {
                guard let type, old.0 == new.0 else { return false }
                result.append(ValueChange(type: type, key: old.0, old: old.1, new: new.1))
            }
            removed = []
            added = []
            return true
        }
        for line in snippet.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("  resource ") {
                guard settle() else { return nil }
                let quoted = line.split(separator: "'")
                guard quoted.count >= 2, let at = quoted[1].firstIndex(of: "@") else { return nil }
                type = String(quoted[1][..<at])
            } else if line.hasPrefix("- ") || line.hasPrefix("+ ") {
                guard type != nil, let pair = keyValue(String(line.dropFirst(2))) else { return nil }
                if line.hasPrefix("- ") {
                    guard added.isEmpty else { return nil }
                    removed.append(pair)
                } else {
                    added.append(pair)
                }
            } else if line.hasPrefix("  ") {
                guard settle() else { return nil }
            } else {
                return nil
            }
        }
        guard settle(), !result.isEmpty else { return nil }
        return result
    }

    /// `key: value` with a one-line scalar value.
    static func keyValue(_ line: String) -> (String, String)? {
        let body = line.drop { $0 == " " }
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let key = String(body[..<colon])
        let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !value.isEmpty,
              !value.hasSuffix("{"), !value.hasSuffix("["), !value.hasSuffix("(") else { return nil }
        return (key, value)
    }

    /// The edits that make `changes` in the user's files, or nil when any cannot be placed exactly. `edited` are
    /// the resources the fix changes; `text` reads a file.
    static func replacements(_ changes: [ValueChange], graph: ResourceGraph, edited: [ResourceID],
                             text: (String) -> String?) -> [TextReplacement]? {
        var result: [TextReplacement] = []
        for change in changes {
            let candidates = edited.filter { graph[$0]?.type.rawValue.lowercased() == change.type.lowercased() }
            guard candidates.count == 1, let sources = graph.propertySources[candidates[0]] else { return nil }
            // Inside a list (rules, subnets) another element may hold the same key with the same value: no patch.
            let located = sources.filter { $0.key == change.key || $0.key.hasSuffix(".\(change.key)") }
            guard !located.contains(where: { $0.key.contains("[") }) else { return nil }
            guard located.count == 1, let location = located.first?.value, let line = location.line,
                  let contents = text(location.file) else { return nil }
            let lines = contents.split(separator: "\n", omittingEmptySubsequences: false)
            guard line >= 1, line <= lines.count else { return nil }
            let scalars = Array(lines[line - 1].unicodeScalars)
            // The line must read `key: <old literal>` (a comment may follow).
            guard let keyStart = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
                  String(String.UnicodeScalarView(scalars[keyStart...])).hasPrefix(change.key + ":"),
                  let span = valueSpan(scalars, from: keyStart + change.key.unicodeScalars.count + 1),
                  String(String.UnicodeScalarView(scalars[span])) == change.old else { return nil }
            result.append(TextReplacement(file: location.file, startLine: line, startColumn: span.lowerBound + 1, endLine: line,
                                          endColumn: span.upperBound + 1, insertedText: change.new))
        }
        return result.isEmpty ? nil : result
    }

    /// The value after `start` up to a comment or the end of the line; nil when it is not complete on the line.
    static func valueSpan(_ scalars: [Unicode.Scalar], from start: Int) -> Range<Int>? {
        guard let span = SourceLineScanner.valueSpan(scalars, from: start, quote: "'", comments: ["//", "/*"]) else { return nil }
        let value = String(String.UnicodeScalarView(scalars[span]))
        guard !value.hasSuffix("{"), !value.hasSuffix("["), !value.hasSuffix("(") else { return nil }
        return span
    }
}
