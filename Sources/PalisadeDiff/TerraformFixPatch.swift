import PalisadeRules

/// A verified fix's Terraform snippet turned into edits of the user's own `.tf` file, for SARIF `fixes`. Only
/// what can be placed exactly is patched: top-level arguments of a resource block whose value is written as a
/// literal equal to the model's old value (changed), or that the block does not set (added). Anything else in the
/// snippet (nested blocks, resources added or removed, a value computed from a variable) leaves the fix without a
/// patch, never with part of one.
enum TerraformFixPatch {
    /// One argument the snippet changes: its name, the value before (nil when the block did not set it) and after.
    struct ArgumentChange: Equatable {
        var name: String
        var old: String?
        var new: String
    }

    /// The argument changes of each resource block in `snippet` (keyed by `type.label`), or nil when the snippet
    /// holds anything but top-level argument changes.
    static func changes(in snippet: String) -> [String: [ArgumentChange]]? {
        var result: [String: [ArgumentChange]] = [:]
        var address: String?
        var removed: [(String, String)] = []
        var added: [(String, String)] = []
        func settle() -> Bool {
            guard let address else { return removed.isEmpty && added.isEmpty }
            var changes = result[address] ?? []
            for (name, value) in added {
                let old = removed.first { $0.0 == name }?.1
                changes.append(ArgumentChange(name: name, old: old, new: value))
            }
            // An argument only removed would need deleting a line whose meaning the default may not match.
            guard removed.allSatisfy({ r in added.contains { $0.0 == r.0 } }) else { return false }
            result[address] = changes
            removed = []
            added = []
            return true
        }
        for line in snippet.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("  resource \"") {
                guard settle() else { return nil }
                let parts = line.dropFirst(2).split(separator: "\"")
                guard parts.count >= 4, line.hasSuffix("{") else { return nil }
                address = "\(parts[1]).\(parts[3])"
            } else if line == "  …" || line == "  }" {
                continue
            } else if line.hasPrefix("- ") || line.hasPrefix("+ ") {
                guard address != nil, let argument = topLevelArgument(String(line.dropFirst(2))) else { return nil }
                if line.hasPrefix("- ") { removed.append(argument) } else { added.append(argument) }
            } else if line.hasPrefix("  ") {
                continue // an unchanged context line
            } else {
                return nil
            }
        }
        guard settle(), !result.isEmpty else { return nil }
        return result
    }

    /// `name = value` at the top level of a block as the renderer writes it (two spaces of indent).
    static func topLevelArgument(_ line: String) -> (String, String)? {
        guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
        let body = line.dropFirst(2)
        guard let equals = body.firstIndex(of: "=") else { return nil }
        let name = body[..<equals].trimmingCharacters(in: .whitespaces)
        let value = body[body.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !value.isEmpty,
              !value.hasSuffix("{"), !value.hasSuffix("["), !value.hasSuffix("(") else { return nil }
        return (name, value)
    }

    /// The edits that make `changes` in the resource block starting at `line` (1-based) of `text`, or nil when
    /// any of them cannot be placed exactly.
    static func replacements(_ changes: [ArgumentChange], file: String, text: String, line: Int) -> [TextReplacement]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard line >= 1, line <= lines.count, lines[line - 1].hasPrefix("resource "), lines[line - 1].hasSuffix("{") else { return nil }
        // The block's top-level lines: depth counted outside strings and comments.
        var depth = 1
        var topLevel: [Int] = []
        var end: Int?
        for index in line..<lines.count {
            if depth == 1 { topLevel.append(index) }
            depth += braceBalance(lines[index])
            if depth <= 0 { end = index; break }
        }
        guard let end else { return nil }
        topLevel.removeAll { $0 == end }
        var result: [TextReplacement] = []
        for change in changes {
            let matches = topLevel.filter { argumentName(lines[$0]) == change.name }
            if let old = change.old {
                guard matches.count == 1, let index = matches.first, let span = valueSpan(lines[index]),
                      normalised(String(lines[index].unicodeScalars.dropFirst(span.lowerBound).prefix(span.count))) == normalised(old)
                else { return nil }
                result.append(TextReplacement(file: file, startLine: index + 1, startColumn: span.lowerBound + 1, endLine: index + 1,
                                              endColumn: span.upperBound + 1, insertedText: change.new))
            } else {
                guard matches.isEmpty else { return nil }
                let indent = topLevel.lazy.compactMap { argumentName(lines[$0]) != nil ? String(lines[$0].prefix { $0 == " " }) : nil }.first ?? "  "
                result.append(TextReplacement(file: file, startLine: line + 1, startColumn: 1, endLine: line + 1, endColumn: 1,
                                              insertedText: "\(indent)\(change.name) = \(change.new)\n"))
            }
        }
        return result.isEmpty ? nil : result
    }

    /// The argument a line sets (`name = …`), nil for anything else.
    static func argumentName(_ line: String) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard let equals = trimmed.firstIndex(of: "="), trimmed[trimmed.index(after: equals)...].first != "=" else { return nil }
        let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
        return !name.isEmpty && name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) ? name : nil
    }

    /// Where the value of an argument line is, in code points (0-based, end exclusive): after `=` and its spaces,
    /// up to a trailing comment or the end, trailing spaces excluded. Nil when the value continues on other lines.
    static func valueSpan(_ line: String) -> Range<Int>? {
        let scalars = Array(line.unicodeScalars)
        guard let equals = scalars.firstIndex(of: "="),
              let span = SourceLineScanner.valueSpan(scalars, from: equals + 1, quote: "\"", comments: ["#", "//"]) else { return nil }
        let value = String(String.UnicodeScalarView(scalars[span]))
        guard braceBalance(value) == 0, !value.contains("<<") else { return nil }
        return span
    }

    /// `{`/`[`/`(` opened minus closed on a line, outside strings and comments.
    static func braceBalance(_ line: String) -> Int {
        var balance = 0
        var inString = false
        var escaped = false
        var previous: Character = " "
        for c in line {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "#" || (c == "/" && previous == "/") {
                break
            } else if c == "{" || c == "[" || c == "(" {
                balance += 1
            } else if c == "}" || c == "]" || c == ")" {
                balance -= 1
            }
            previous = c
        }
        return balance
    }

    /// A value with insignificant spaces removed, for comparing the user's literal with the model's.
    static func normalised(_ value: String) -> String {
        var out = ""
        var inString = false
        for c in value {
            if c == "\"" { inString.toggle() }
            if !inString, c == " " || c == "\t" { continue }
            out.append(c)
        }
        return out
    }
}
