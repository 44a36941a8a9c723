import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PalisadeModel
import Yams

/// Reads a YAML spec file into a `Spec`, turning every problem into a located diagnostic:
/// syntax errors carry the parser's `file:line:column`, unknown keys name the key path and the closest valid
/// key, wrong types and values name the key path, the value and what is allowed.
public struct SpecLoader: Sendable {
    /// Inputs larger than this are refused before parsing (hostile or mistaken input).
    public static let maximumBytes = 1 << 20
    /// Deeper nesting than this is refused.
    public static let maximumDepth = 64

    /// Creates a loader.
    public init() {}

    /// Loads and plans a spec file; an unreadable file is an error in words ("No such file or directory").
    public func design(file path: String) -> (design: Design?, diagnostics: Diagnostics) {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            return (nil, Diagnostics([Diagnostic(.error, code: "io.unreadable", "cannot read '\(path)': it is a directory",
                                                 fix: "name a spec file", at: SourceLocation(file: path))]))
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let ns = error as NSError
            let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0.code : nil }
            let reason = underlying.map { String(cString: strerror(Int32($0))) }
                ?? (FileManager.default.fileExists(atPath: path) ? "Permission denied" : "No such file or directory")
            return (nil, Diagnostics([Diagnostic(.error, code: "io.unreadable", "cannot read '\(path)': \(reason)",
                                                 fix: "check the path and permissions", at: SourceLocation(file: path))]))
        }
        return design(data: data, file: path)
    }

    /// Loads and plans spec bytes (a file's or standard input's); `file` names the source in diagnostics.
    public func design(data: Data, file path: String) -> (design: Design?, diagnostics: Diagnostics) {
        guard data.count <= Self.maximumBytes else {
            return (nil, Diagnostics([Diagnostic(.error, code: "spec.too-large",
                                                 "'\(path)' is \(data.count) bytes; specs are limited to \(Self.maximumBytes)",
                                                 at: SourceLocation(file: path))]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = Self.firstInvalidUTF8(Array(data))
            return (nil, Diagnostics([Diagnostic(.error, code: "spec.encoding", "the file is not UTF-8 text: invalid byte sequence here",
                                                 fix: "save the file as UTF-8", at: SourceLocation(file: path, line: line, column: column))]))
        }
        return design(yaml: text, file: path)
    }

    /// 1-based line and column (in characters) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : (b >> 5 == 0b110 ? 2 : (b >> 4 == 0b1110 ? 3 : (b >> 3 == 0b11110 ? 4 : 0)))
            let valid = length > 0 && i + length <= bytes.count && bytes[(i + 1)..<(i + length)].allSatisfy { $0 >> 6 == 0b10 }
                && String(bytes: bytes[i..<(i + length)], encoding: .utf8) != nil
            guard valid else { break }
            if b == 0x0A { line += 1; lineStart = i + 1 }
            i += length
        }
        let column = String(decoding: bytes[lineStart..<min(i, bytes.count)], as: UTF8.self).count + 1
        return (line, column)
    }

    /// Loads and plans spec text; `file` names the source in diagnostics.
    public func design(yaml text: String, file: String) -> (design: Design?, diagnostics: Diagnostics) {
        let (spec, node, diagnostics) = load(yaml: text, file: file)
        guard let spec else { return (nil, diagnostics) }
        var result = EnvironmentDesigner.design(spec) { path in Self.location(of: path, in: node, file: file) }
        result.diagnostics = Diagnostics(diagnostics.items + result.diagnostics.items)
        return result
    }

    /// Parses spec text without planning it.
    public func load(yaml text: String, file: String) -> (spec: Spec?, node: Node?, diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        let (spec, node, empty): (Spec?, Node?, Bool) = decodeDocument(Spec.self, yaml: text, file: file, diagnostics: &diagnostics)
        if empty && !diagnostics.hasErrors { return (Spec(), nil, diagnostics) }  // an empty file means "all defaults"
        return (spec, node, diagnostics)
    }

    /// Parses a YAML document (a mapping) and decodes it, turning every problem into a located diagnostic.
    func decodeDocument<T: Decodable>(_ type: T.Type, yaml text: String, file: String,
                                      diagnostics: inout Diagnostics) -> (T?, Node?) {
        let (value, node, _) = decodeDocument(type, yaml: text, file: file, diagnostics: &diagnostics)
        return (value, node)
    }

    /// As above; the third value says whether the document was empty.
    func decodeDocument<T: Decodable>(_ type: T.Type, yaml text: String, file: String,
                                      diagnostics: inout Diagnostics) -> (T?, Node?, Bool) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            diagnostics.append(Self.syntaxDiagnostic(error, file: file))
            return (nil, nil, false)
        } catch {
            diagnostics.append(Diagnostic(.error, code: "spec.syntax", "\(error)", at: SourceLocation(file: file)))
            return (nil, nil, false)
        }
        guard let node else { return (nil, nil, true) }
        var budget = Self.maximumNodes
        if let problem = Self.structuralProblem(node, depth: 0, budget: &budget) {
            diagnostics.append(Diagnostic(.error, code: "spec.structure", problem.message, fix: problem.fix,
                                          at: SourceLocation(file: file, line: problem.mark?.line, column: problem.mark?.column)))
            return (nil, node, false)
        }
        guard case .mapping = node else {
            diagnostics.append(Diagnostic(.error, code: "spec.type", "the document must be a mapping of keys to values",
                                          fix: "start from `palisade init`", at: SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)))
            return (nil, node, false)
        }
        do {
            let value = try YAMLDecoder().decode(T.self, from: node)
            return (value, node, false)
        } catch let error as UnknownKeyError {
            let path = keyPathText(error.codingPath)
            var location = Self.location(of: path, in: node, file: file, keyNode: true)
            location.path = path
            let suggestion = closest(to: error.key, in: error.validKeys)
            diagnostics.append(Diagnostic(
                .error, code: "spec.unknown-key", "unknown key '\(error.key)'",
                fix: (suggestion.map { "did you mean '\($0)'? " } ?? "") + "valid keys here: \(error.validKeys.joined(separator: ", "))",
                at: location))
        } catch let error as DecodingError {
            diagnostics.append(Self.decodingDiagnostic(error, node: node, file: file))
        } catch {
            diagnostics.append(Diagnostic(.error, code: "spec.invalid", "\(error)", at: SourceLocation(file: file)))
        }
        return (nil, node, false)
    }

    static func syntaxDiagnostic(_ error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return Diagnostic(.error, code: "spec.syntax", "YAML syntax error: \(detail)",
                              fix: "fix the YAML at the position shown (indentation, a missing ':' or an unclosed quote)",
                              at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(.error, code: "spec.duplicate-key", "duplicate keys \(duplicates) in a mapping",
                              fix: "keep one of them", at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        case .reader(let problem, let offset, _, let yaml):
            // The reader reports a byte offset: turn it into the line and column a person can find.
            let prefix = Array(yaml.utf8.prefix(max(0, offset ?? 0)))
            let line = prefix.filter { $0 == 0x0A }.count + 1
            let lineStart = (prefix.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
            let column = String(decoding: prefix[lineStart...], as: UTF8.self).count + 1
            return Diagnostic(.error, code: "spec.syntax", "YAML error: \(problem)", fix: "remove or escape the character at the position shown",
                              at: SourceLocation(file: file, line: line, column: column))
        default:
            return Diagnostic(.error, code: "spec.syntax", "YAML error: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    static func decodingDiagnostic(_ error: DecodingError, node: Node, file: String) -> Diagnostic {
        let (path, message): ([any CodingKey], String)
        switch error {
        case .typeMismatch(let type, let context):
            let found = Self.node(at: keyPathText(context.codingPath), in: node).map(Self.describe) ?? "a different value"
            (path, message) = (context.codingPath, "expected \(Self.typeName(type)) but found \(found)")
        case .valueNotFound(let type, let context):
            (path, message) = (context.codingPath, "expected \(Self.typeName(type)) but found nothing")
        case .keyNotFound(let key, let context):
            (path, message) = (context.codingPath, "missing required key '\(key.stringValue)'")
        case .dataCorrupted(let context):
            let value = Self.node(at: keyPathText(context.codingPath), in: node).map(Self.describe) ?? "the value"
            let detail = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            let text = detail.contains("'") ? detail : "\(value) is not valid: \(detail)"
            (path, message) = (context.codingPath, text)
        @unknown default:
            (path, message) = ([], "\(error)")
        }
        let pathText = keyPathText(path)
        var location = Self.location(of: pathText, in: node, file: file)
        location.path = pathText
        return Diagnostic(.error, code: "spec.invalid-value", message,
                          fix: Self.allowedValues(for: pathText).map { "allowed: \($0)" } ?? "see schema/palisade-spec.schema.json",
                          at: location)
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch "\(type)" {
        case "Int": "an integer"
        case "Bool": "true or false"
        case "String": "a string"
        case let name where name.hasPrefix("Array"): "a list"
        case let name where name.hasPrefix("Dictionary"): "a mapping"
        default: "a \(type)"
        }
    }

    private static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// Enumerated values the schema allows at a path, for messages.
    private static func allowedValues(for path: String) -> String? {
        let last = path.split(separator: ".").last.map(String.init)?.replacingOccurrences(of: #"\[\d+\]"#, with: "", options: .regularExpression)
        switch last {
        case "isolationMode": return ManagedNetworkSettings.IsolationMode.allCases.map(\.rawValue).joined(separator: ", ")
        case "type": return ManagedOutboundRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        case "uses": return SubnetUse.allCases.map(\.rawValue).joined(separator: ", ")
        case "services": return StorageService.allCases.map(\.rawValue).joined(separator: ", ")
        case "profile": return FirewallProfile.allCases.map(\.rawValue).joined(separator: ", ")
        case "packageRepositories": return PackageRepository.allCases.map(\.rawValue).joined(separator: ", ")
        case "threatIntelMode": return ThreatIntelMode.allCases.map(\.rawValue).joined(separator: ", ")
        case "addressSpace", "prefix", "clientAddressPool": return "an IPv4 CIDR prefix such as 10.1.0.0/22"
        default: return nil
        }
    }

    /// Nodes visited at most; aliases can make a small file expand exponentially ("billion laughs").
    public static let maximumNodes = 100_000

    /// Bounds depth and the number of nodes after alias expansion, so hostile input cannot hang decoding.
    private static func structuralProblem(_ node: Node, depth: Int, budget: inout Int) -> (message: String, fix: String, mark: Mark?)? {
        budget -= 1
        if budget < 0 {
            return ("the spec expands to more than \(maximumNodes) values (deeply nested aliases?)",
                    "write the values out instead of nesting *aliases", node.mark)
        }
        if depth > maximumDepth {
            return ("the spec nests deeper than \(maximumDepth) levels", "flatten the document", node.mark)
        }
        switch node {
        case .alias:
            return ("YAML aliases are not supported in specs", "write the value out instead of using *alias", node.mark)
        case .scalar:
            return nil
        case .sequence(let sequence):
            for child in sequence { if let problem = structuralProblem(child, depth: depth + 1, budget: &budget) { return problem } }
        case .mapping(let mapping):
            for (key, value) in mapping {
                if case .scalar = key {} else { return ("mapping keys must be plain strings", "use a string key", key.mark) }
                if let problem = structuralProblem(value, depth: depth + 1, budget: &budget) { return problem }
            }
        }
        return nil
    }

    /// The node at a key path such as `network.subnets[1].prefix`.
    static func node(at path: String, in root: Node?, keyNode: Bool = false) -> Node? {
        guard var current = root else { return nil }
        var components: [String] = []
        for part in path.split(separator: ".") {
            var text = String(part)
            while let open = text.firstIndex(of: "[") {
                if open > text.startIndex { components.append(String(text[..<open])) }
                // A key may itself contain '[' without a ']' (hostile or mistaken input): keep the rest as one name.
                guard let close = text[open...].firstIndex(of: "]") else {
                    components.append(String(text[open...]))
                    text = ""
                    break
                }
                components.append(String(text[open...close]))
                text = String(text[text.index(after: close)...])
            }
            if !text.isEmpty { components.append(text) }
        }
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            if component.hasPrefix("["), component.hasSuffix("]"), let n = Int(component.dropFirst().dropLast()) {
                guard case .sequence(let sequence) = current, n >= 0, n < sequence.count else { return current }
                current = sequence[n]
            } else {
                guard case .mapping(let mapping) = current,
                      let pair = mapping.first(where: { $0.key.string == component })
                else { return current }
                current = isLast && keyNode ? pair.key : pair.value
            }
        }
        return current
    }

    /// The source location of a key path (the deepest existing node on the path).
    static func location(of path: String, in root: Node?, file: String, keyNode: Bool = false) -> SourceLocation {
        let mark = node(at: path, in: root, keyNode: keyNode)?.mark
        return SourceLocation(file: file, line: mark?.line, column: mark?.column, path: path)
    }
}
