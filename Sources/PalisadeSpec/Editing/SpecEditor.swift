import Foundation
import Yams

/// Edits a spec's YAML text in place, key by key, keeping every other byte (comments, order, layout) as written.
public enum SpecEditor {
    /// Why an edit could not be made.
    public struct EditError: Error, CustomStringConvertible, Equatable {
        /// What went wrong, naming the key.
        public var description: String
    }

    /// `text` with each `(key, value)` applied in order: the scalar at the dotted `key` replaced by `value` (YAML),
    /// or `key: value` added to the nearest existing mapping on the path (nested flow mappings for the rest). A numeric
    /// component selects that element (from 0) of a block or flow list of mappings (`intents.0.mayReachOnly`).
    /// Throws when the text does not parse, the key path runs through a list without an element index (or past its
    /// end, or to an element that is not a mapping), or through a block scalar.
    public static func apply(_ edits: [(key: String, value: String)], to text: String) throws -> String {
        // Lines are edited with LF breaks; a file written with CRLF keeps them.
        let crlf = text.contains("\r\n")
        var result = crlf ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        for edit in edits { result = try set(edit.key.split(separator: ".").map(String.init), to: edit.value, in: result) }
        return crlf ? result.replacingOccurrences(of: "\n", with: "\r\n") : result
    }

    private static func set(_ path: [String], to value: String, in text: String) throws -> String {
        guard !path.isEmpty else { throw EditError(description: "empty key path") }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw EditError(description: "the spec does not parse: \(error)") }
        var lines = text.components(separatedBy: "\n").map { Array($0) }
        guard let root, case .mapping(var mapping) = root else {
            if let root, case .scalar(let scalar) = root, !scalar.string.isEmpty {
                throw EditError(description: "the spec is not a mapping")
            }
            return "\(path[0]): \(flow(Array(path.dropFirst()), value))\n" + text
        }
        var inFlow = isFlow(mapping, lines)
        var index = 0
        while index < path.count {
            let key = path[index]
            if Int(key) != nil {
                throw EditError(description: "'\(path.prefix(index + 1).joined(separator: "."))': '\(path.prefix(index).joined(separator: "."))' is not a list")
            }
            let rest = Array(path[(index + 1)...])
            let existing = mapping.first(where: { $0.key.string == key })?.value
            let isCollection: Bool = switch existing { case .mapping?, .sequence?: true; default: false }
            if let element = rest.firstIndex(where: { Int($0) != nil }), !isCollection || rest.count == 1 {
                // Palisade writes new keys and replaces values, never adds or replaces whole list elements.
                throw EditError(description: "'\(path.prefix(index + element + 2).joined(separator: "."))' names a list element that is not written or not a mapping")
            }
            guard let pair = mapping.first(where: { $0.key.string == key }) else {
                try insert(key: key, value: flow(rest, value), into: mapping, flowStyle: isFlow(mapping, lines), lines: &lines)
                return render(lines)
            }
            switch pair.value {
            case .mapping(let child) where !rest.isEmpty:
                mapping = child
                inFlow = inFlow || isFlow(child, lines)
                index += 1
            case .sequence(let sequence) where rest.count > 1 && Int(rest[0]) != nil:
                // A numeric component selects that element of the list; the element must be a mapping.
                let position = Int(rest[0]) ?? -1
                let selected = path.prefix(index + 2).joined(separator: ".")
                guard sequence.indices.contains(position) else {
                    throw EditError(description: "'\(selected)': the list '\(path.prefix(index + 1).joined(separator: "."))' has \(sequence.count) element(s)")
                }
                guard case .mapping(let child) = sequence[position] else {
                    throw EditError(description: "'\(selected)' is not a mapping Palisade can edit in place")
                }
                mapping = child
                inFlow = inFlow || isFlow(child, lines) || isFlowSequence(sequence, lines)
                index += 2
            case .scalar(let scalar) where rest.isEmpty || ["~", "null", "Null", "NULL"].contains(scalar.string):
                guard let mark = scalar.mark, !(scalar.string.isEmpty && scalar.style == .plain) else {
                    throw EditError(description: "'\(path.joined(separator: "."))' has no value to replace; write it out first")
                }
                try replaceScalar(at: mark, style: scalar.style, inFlow: inFlow, with: rest.isEmpty ? value : flow(rest, value),
                                  lines: &lines, key: path.joined(separator: "."))
                return render(lines)
            case .sequence(let sequence) where rest.isEmpty:
                try replaceFlowSequence(sequence, with: value, lines: &lines, key: path.joined(separator: "."))
                return render(lines)
            default:
                throw EditError(description: "'\(path.prefix(index + 1).joined(separator: "."))' is not a value Palisade can edit in place")
            }
        }
        throw EditError(description: "'\(path.joined(separator: "."))' is not a value Palisade can edit in place")
    }

    /// `value`, nested in flow mappings for each key of `rest`.
    private static func flow(_ rest: [String], _ value: String) -> String {
        rest.reversed().reduce(value) { inner, key in "{\(key): \(inner)}" }
    }

    private static func render(_ lines: [[Character]]) -> String { lines.map { String($0) }.joined(separator: "\n") }

    private static func replaceScalar(at mark: Mark, style: Node.Scalar.Style, inFlow: Bool, with value: String,
                                      lines: inout [[Character]], key: String) throws {
        let row = mark.line - 1, start = mark.column - 1
        guard lines.indices.contains(row), start <= lines[row].count else { throw EditError(description: "'\(key)' is out of place") }
        let line = lines[row]
        var end = start
        switch style {
        case .doubleQuoted, .singleQuoted:
            let quote: Character = style == .doubleQuoted ? "\"" : "'"
            end = start + 1
            while end < line.count {
                if style == .doubleQuoted, line[end] == "\\" { end += 2; continue }
                if line[end] == quote {
                    if style == .singleQuoted, end + 1 < line.count, line[end + 1] == "'" { end += 2; continue }
                    break
                }
                end += 1
            }
            guard end < line.count else { throw EditError(description: "'\(key)' spans lines; edit it by hand") }
            end += 1
        case .plain:
            while end < line.count {
                if inFlow, [",", "}", "]"].contains(line[end]) { break }
                if line[end] == "#", end > start, line[end - 1] == " " { break }
                end += 1
            }
            while end > start, line[end - 1] == " " { end -= 1 }
        default:
            throw EditError(description: "'\(key)' is a block scalar; edit it by hand")
        }
        lines[row].replaceSubrange(start..<end, with: Array(value))
    }

    /// Replaces a flow sequence written on one line (`[a, {b: c}]`) with `value`; a block sequence or one spanning
    /// lines is left to the user.
    private static func replaceFlowSequence(_ sequence: Node.Sequence, with value: String, lines: inout [[Character]], key: String) throws {
        guard let mark = sequence.mark, lines.indices.contains(mark.line - 1) else { throw EditError(description: "'\(key)' is out of place") }
        let row = mark.line - 1, start = mark.column - 1
        let line = lines[row]
        guard line.indices.contains(start), line[start] == "[" else {
            throw EditError(description: "'\(key)' is a block list; write it as a flow list ([...]) or edit it by hand")
        }
        var depth = 0, column = start
        var quote: Character?
        while column < line.count {
            let c = line[column]
            if let q = quote { if c == q { quote = nil } }
            else if c == "\"" || c == "'" { quote = c }
            else if c == "[" || c == "{" { depth += 1 }
            else if c == "]" || c == "}" {
                depth -= 1
                if depth == 0 {
                    lines[row].replaceSubrange(start...column, with: Array(value))
                    return
                }
            }
            column += 1
        }
        throw EditError(description: "'\(key)' spans lines; edit it by hand")
    }

    /// Whether a sequence is written in flow style (`[a, b]`): its first character is a bracket.
    private static func isFlowSequence(_ sequence: Node.Sequence, _ lines: [[Character]]) -> Bool {
        guard let mark = sequence.mark, lines.indices.contains(mark.line - 1) else { return false }
        let line = lines[mark.line - 1]
        return line.indices.contains(mark.column - 1) && line[mark.column - 1] == "["
    }

    /// Whether a mapping is written in flow style (`{a: 1}`): its first character is a brace.
    private static func isFlow(_ mapping: Node.Mapping, _ lines: [[Character]]) -> Bool {
        guard let mark = mapping.mark, lines.indices.contains(mark.line - 1) else { return false }
        let line = lines[mark.line - 1]
        return line.indices.contains(mark.column - 1) && line[mark.column - 1] == "{"
    }

    private static func insert(key: String, value: String, into mapping: Node.Mapping, flowStyle: Bool, lines: inout [[Character]]) throws {
        if flowStyle {
            guard let mark = mapping.mark else { throw EditError(description: "cannot place '\(key)'") }
            // Find the closing brace of this flow mapping, skipping quoted text and nested collections.
            var row = mark.line - 1, column = mark.column - 1, depth = 0
            var quote: Character?
            var empty = true
            while lines.indices.contains(row) {
                let line = lines[row]
                while column < line.count {
                    let c = line[column]
                    if let q = quote { if c == q { quote = nil } }
                    else if c == "\"" || c == "'" { quote = c; empty = false }
                    else if c == "{" || c == "[" { depth += 1; if depth > 1 { empty = false } }
                    else if c == "}" || c == "]" {
                        depth -= 1
                        if depth == 0 {
                            lines[row].insert(contentsOf: Array(empty ? "\(key): \(value)" : ", \(key): \(value)"), at: column)
                            return
                        }
                    } else if c != " " && depth >= 1 { empty = false }
                    column += 1
                }
                row += 1
                column = 0
            }
            throw EditError(description: "cannot place '\(key)': unclosed mapping")
        }
        guard let first = mapping.first?.key.mark, lines.indices.contains(first.line - 1) else { throw EditError(description: "cannot place '\(key)'") }
        let row = first.line - 1, column = first.column - 1
        let indent = Array(repeating: Character(" "), count: column)
        if lines[row].prefix(column).allSatisfy({ $0 == " " }) {
            lines.insert(indent + Array("\(key): \(value)"), at: row)
        } else {
            // The mapping starts on a list item's line (`- from: x`): the new key takes the item's line.
            let tail = Array(lines[row][column...])
            lines[row].replaceSubrange(column..., with: Array("\(key): \(value)"))
            lines.insert(indent + tail, at: row + 1)
        }
    }
}
