import Crypto
import Foundation
import PalisadeModel

/// Terraform's built-in functions (https://developer.hashicorp.com/terraform/language/functions), the ones
/// infrastructure code uses. Each is tested against the example on its documentation page.
enum TerraformFunctions {
    /// Functions whose arguments may hold unknown values without making the whole result unknown.
    static let structural: Set<String> = [
        "length", "concat", "flatten", "merge", "tolist", "tomap", "element", "lookup", "keys", "values", "slice",
        "reverse", "zipmap", "coalescelist", "compact", "one", "setunion", "distinct", "contains", "try", "can",
        "coalesce", "nonsensitive", "sensitive", "jsonencode", "tostring", "toset",
    ]

    /// Every function name this reader evaluates.
    static let names: Set<String> = [
        "abs", "ceil", "floor", "log", "max", "min", "parseint", "pow", "signum",
        "chomp", "endswith", "format", "formatlist", "indent", "join", "lower", "upper", "title", "trim", "trimprefix",
        "trimsuffix", "trimspace", "split", "replace", "regex", "regexall", "strrev", "substr", "startswith", "strcontains",
        "alltrue", "anytrue", "chunklist", "coalesce", "coalescelist", "compact", "concat", "contains", "distinct", "element",
        "flatten", "index", "keys", "length", "lookup", "merge", "one", "range", "reverse", "setintersection", "setproduct",
        "setsubtract", "setunion", "slice", "sort", "sum", "transpose", "values", "zipmap",
        "base64encode", "base64decode", "jsonencode", "jsondecode", "urlencode", "base64gzip",
        "tostring", "tonumber", "tobool", "tolist", "toset", "tomap", "try", "can", "nonsensitive", "sensitive", "type",
        "cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets",
        "file", "fileexists", "templatefile", "abspath", "basename", "dirname", "filebase64",
        "md5", "sha1", "sha256", "sha512", "base64sha256", "uuid", "timestamp", "uuidv5", "formatdate", "plantimestamp",
    ]

    /// Terraform functions this reader knows but does not evaluate: their results are unknown, with a warning.
    static let unevaluated: Set<String> = [
        "yamlencode", "yamldecode", "csvdecode", "fileset", "textencodebase64", "textdecodebase64", "filemd5", "filesha1",
        "filesha256", "filesha512", "rsadecrypt", "bcrypt", "cidrcontains", "issensitive", "ephemeralasnull", "templatestring",
    ]

    static func decodeJSON(_ text: String, file: String) throws -> HCLValue {
        let expression = try HCLParser.parseExpression(text: text, file: file, jsonStrings: true)
        return try constant(expression)
    }

    /// Evaluates a constant expression (JSON documents, tfvars values): no references allowed.
    static func constant(_ expression: HCLExpression) throws -> HCLValue {
        switch expression.kind {
        case .literal(let value): return value
        case .negate(let inner):
            guard let n = try constant(inner).numberValue else { throw EvalError("expected a number", at: inner.position) }
            return .number(-n)
        case .template(let parts):
            guard let text = HCLParser.literalText(parts) else {
                throw EvalError("a value here cannot contain interpolation", at: expression.position)
            }
            return .string(text)
        case .tuple(let items): return .list(try items.map(constant))
        case .object(let items):
            var members: [String: HCLValue] = [:]
            for item in items {
                let key = try item.key.bareWord ?? constant(item.key).stringValue
                guard let key else { throw EvalError("object key must be a string", at: item.key.position) }
                members[key] = try constant(item.value)
            }
            return .object(members)
        case .parenthesized(let inner): return try constant(inner)
        default:
            throw EvalError("only literal values are allowed here", at: expression.position, fix: "write a string, number, bool, list or map")
        }
    }
}

extension Evaluator {
    /// Elements converted to their most general common type, as a list or map requires: mixed strings, numbers and
    /// bools become strings (https://developer.hashicorp.com/terraform/language/functions/tolist).
    static func unified(_ items: [HCLValue]) -> [HCLValue] {
        let primitive = items.allSatisfy { if case .string = $0 { true } else if case .number = $0 { true } else if case .bool = $0 { true } else if case .null = $0 { true } else { false } }
        let kinds = Set(items.compactMap { item -> String? in item == .null ? nil : item.typeName })
        guard primitive, kinds.count > 1 else { return items }
        return items.map { $0 == .null ? $0 : .string($0.stringValue ?? "") }
    }

    func call(_ name: String, _ argumentExpressions: [HCLExpression], expandFinal: Bool, _ scope: Scope,
              _ position: HCLPosition) throws -> HCLValue {
        let bare = name.hasPrefix("core::") ? String(name.dropFirst(6)) : name
        if bare.hasPrefix("provider::") {
            // azurerm's normalise_resource_id returns the ID in its canonical casing
            // (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/functions/normalise_resource_id): read as the ID.
            if bare == "provider::azurerm::normalise_resource_id", argumentExpressions.count == 1 {
                return try evaluate(argumentExpressions[0], scope)
            }
            warn("terraform.function-not-evaluated", "provider function \(bare)() is not evaluated; its result is read as unknown", at: position)
            return .unknown(HCLUnknown("\(bare)()"))
        }
        if TerraformFunctions.unevaluated.contains(bare) {
            warn("terraform.function-not-evaluated", "\(bare)() is not evaluated; its result is read as unknown", at: position)
            return .unknown(HCLUnknown("\(bare)()"))
        }
        guard TerraformFunctions.names.contains(bare) else {
            throw EvalError("call to unknown function '\(name)'", at: position,
                            fix: "check the spelling; provider-defined functions are not evaluated", code: "terraform.unknown-function")
        }
        // try and can evaluate their arguments themselves, catching errors.
        if bare == "try" {
            for expression in argumentExpressions {
                if let value = try? evaluate(expression, scope) {
                    if case .unknown = value { return value }
                    return value
                }
            }
            throw EvalError("no argument of try() could be evaluated", at: position, fix: "add a final fallback value")
        }
        if bare == "can" {
            guard argumentExpressions.count == 1 else { throw EvalError("can() takes one argument", at: position) }
            guard let value = try? evaluate(argumentExpressions[0], scope) else { return .bool(false) }
            if case .unknown = value { return value }
            return .bool(true)
        }
        var arguments = try argumentExpressions.map { try evaluate($0, scope) }
        if expandFinal, let last = arguments.popLast() {
            guard case .list(let items) = last else { throw EvalError("'...' needs a list as the last argument", at: position) }
            arguments += items
        }
        if !TerraformFunctions.structural.contains(bare), let unknown = arguments.lazy.compactMap(\.firstUnknown).first {
            return .unknown(unknown)
        }
        do {
            return try FunctionCall(evaluator: self, name: bare, arguments: arguments, position: position, scope: scope).run()
        } catch let error as EvalError {
            throw error
        } catch let error as HCLSyntaxError {
            throw EvalError("\(bare)(): \(error.message)", at: position)
        }
    }
}

/// One function call with its evaluated arguments.
private struct FunctionCall {
    let evaluator: Evaluator
    let name: String
    let arguments: [HCLValue]
    let position: HCLPosition
    let scope: Scope

    func fail(_ message: String, fix: String? = nil) -> EvalError {
        EvalError("\(name)(): \(message)", at: position, fix: fix)
    }

    func count(_ range: ClosedRange<Int>) throws {
        guard range.contains(arguments.count) else {
            let expected = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw fail("takes \(expected) arguments, got \(arguments.count)")
        }
    }

    func string(_ index: Int) throws -> String {
        guard index < arguments.count, let s = arguments[index].stringValue else {
            throw fail("argument \(index + 1) must be a string, got \(index < arguments.count ? arguments[index].typeName : "nothing")")
        }
        return s
    }

    func number(_ index: Int) throws -> Double {
        guard index < arguments.count, let n = arguments[index].numberValue else {
            throw fail("argument \(index + 1) must be a number, got \(index < arguments.count ? arguments[index].typeName : "nothing")")
        }
        return n
    }

    func int(_ index: Int) throws -> Int {
        let n = try number(index)
        guard n == n.rounded(), abs(n) < 1e15 else { throw fail("argument \(index + 1) must be a whole number") }
        return Int(n)
    }

    func list(_ index: Int) throws -> [HCLValue] {
        guard index < arguments.count else { throw fail("argument \(index + 1) is missing") }
        switch arguments[index] {
        case .list(let items): return items
        default: throw fail("argument \(index + 1) must be a list, got \(arguments[index].typeName)")
        }
    }

    func object(_ index: Int) throws -> [String: HCLValue] {
        guard index < arguments.count, case .object(let members) = arguments[index] else {
            throw fail("argument \(index + 1) must be a map or object")
        }
        return members
    }

    func prefix(_ index: Int) throws -> IPv4Prefix {
        let text = try string(index)
        guard let parsed = IPv4Prefix.parse(text) else {
            throw fail("'\(text)' is not an IPv4 CIDR prefix", fix: "write it as a.b.c.d/n (IPv6 is not evaluated)")
        }
        return parsed.prefix
    }

    func set(_ items: [HCLValue]) -> HCLValue {
        var seen: [HCLValue] = []
        for item in items where !seen.contains(item) { seen.append(item) }
        if seen.allSatisfy({ if case .string = $0 { true } else { false } }) {
            return .list(seen.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") })
        }
        return .list(seen)
    }

    func path(_ text: String) -> String {
        if text.hasPrefix("/") { return text }
        return ModuleConfig.join(FileManager.default.currentDirectoryPath, text)
    }

    func run() throws -> HCLValue {
        switch name {
        // Numeric
        case "abs": try count(1...1); return .number(abs(try number(0)))
        case "ceil": try count(1...1); return .number((try number(0)).rounded(.up))
        case "floor": try count(1...1); return .number((try number(0)).rounded(.down))
        case "log": try count(2...2); return .number(Foundation.log(try number(0)) / Foundation.log(try number(1)))
        case "pow": try count(2...2); return .number(Foundation.pow(try number(0), try number(1)))
        case "signum": try count(1...1); let n = try number(0); return .number(n > 0 ? 1 : n < 0 ? -1 : 0)
        case "max", "min":
            let values = try arguments.indices.map { try number($0) }
            guard let first = values.first else { throw fail("needs at least one number") }
            return .number(values.dropFirst().reduce(first) { name == "max" ? Swift.max($0, $1) : Swift.min($0, $1) })
        case "parseint":
            try count(2...2)
            let base = try int(1)
            guard (2...62).contains(base), let value = Self.parseInteger(try string(0), base: base) else {
                throw fail("cannot parse '\(try string(0))' in base \(base)")
            }
            return .number(value)
        case "sum":
            try count(1...1)
            let items = try list(0)
            guard !items.isEmpty else { throw fail("cannot sum an empty list") }
            return .number(try items.reduce(0) { total, item in
                guard let n = item.numberValue else { throw fail("every element must be a number") }
                return total + n
            })

        // Strings
        case "chomp": try count(1...1)
            var s = try string(0)
            // "\r\n" is one Character in Swift, so trailing newlines are removed scalar by scalar.
            while let last = s.unicodeScalars.last, last == "\n" || last == "\r" { s.unicodeScalars.removeLast() }
            return .string(s)
        case "endswith": try count(2...2); return .bool((try string(0)).hasSuffix(try string(1)))
        case "startswith": try count(2...2); return .bool((try string(0)).hasPrefix(try string(1)))
        case "strcontains": try count(2...2); return .bool((try string(0)).contains(try string(1)))
        case "lower": try count(1...1); return .string((try string(0)).lowercased())
        case "upper": try count(1...1); return .string((try string(0)).uppercased())
        case "title": try count(1...1)
            var out = "", atWordStart = true
            for character in try string(0) {
                out += atWordStart ? character.uppercased() : String(character)
                atWordStart = !(character.isLetter || character.isNumber)
            }
            return .string(out)
        case "strrev": try count(1...1); return .string(String((try string(0)).reversed()))
        case "trimspace": try count(1...1); return .string((try string(0)).trimmingCharacters(in: .whitespacesAndNewlines))
        case "trimprefix": try count(2...2)
            let s = try string(0), p = try string(1)
            return .string(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case "trimsuffix": try count(2...2)
            let s = try string(0), p = try string(1)
            return .string(s.hasSuffix(p) ? String(s.dropLast(p.count)) : s)
        case "trim": try count(2...2)
            let cut = Set(try string(1))
            return .string(String((try string(0)).drop { cut.contains($0) }.reversed().drop { cut.contains($0) }.reversed()))
        case "join":
            try count(2...Int.max)
            let separator = try string(0)
            var parts: [String] = []
            for index in 1..<arguments.count {
                for item in try list(index) {
                    guard let s = item.stringValue else { throw fail("every element must be a string, got \(item.typeName)") }
                    parts.append(s)
                }
            }
            return .string(parts.joined(separator: separator))
        case "split": try count(2...2)
            let separator = try string(0), s = try string(1)
            if s.isEmpty { return .list([.string("")]) }
            guard !separator.isEmpty else { return .list(s.map { .string(String($0)) }) }
            return .list(s.components(separatedBy: separator).map { .string($0) })
        case "replace": try count(3...3)
            let s = try string(0), search = try string(1), replacement = try string(2)
            if search.count > 2, search.hasPrefix("/"), search.hasSuffix("/") {
                let regex = try self.regex(String(search.dropFirst().dropLast()))
                let template = replacement.replacingOccurrences(of: "\\", with: "\\\\")
                return .string(regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template))
            }
            guard !search.isEmpty else { return .string(s) }
            return .string(s.replacingOccurrences(of: search, with: replacement))
        case "regex", "regexall": try count(2...2)
            let regex = try self.regex(try string(0)), s = try string(1)
            let matches = regex.matches(in: s, range: NSRange(s.startIndex..., in: s))
            func value(_ match: NSTextCheckingResult) -> HCLValue {
                func group(_ index: Int) -> HCLValue {
                    let range = match.range(at: index)
                    guard range.location != NSNotFound, let swiftRange = Range(range, in: s) else { return .null }
                    return .string(String(s[swiftRange]))
                }
                if match.numberOfRanges == 1 { return group(0) }
                let names = Self.groupNames(regex.pattern)
                if !names.isEmpty {
                    var members: [String: HCLValue] = [:]
                    for groupName in names {
                        let range = match.range(withName: groupName)
                        members[groupName] = Range(range, in: s).map { .string(String(s[$0])) } ?? .null
                    }
                    return .object(members)
                }
                return .list((1..<match.numberOfRanges).map(group))
            }
            if name == "regexall" { return .list(matches.map(value)) }
            guard let first = matches.first else { throw fail("the pattern did not match", fix: "use can(regex(…)) to test first") }
            return value(first)
        case "substr": try count(3...3)
            let characters = Array(try string(0))
            var offset = try int(1), length = try int(2)
            // As go-cty's Substr: a negative offset counts from the end and stops at the start; an offset past the
            // end gives "" (AzureTRE's substr(var.workspace_id, -4, -1) on short IDs relies on this).
            if offset < 0 { offset = Swift.max(0, offset + characters.count) }
            if offset >= characters.count { return .string("") }
            if length < 0 || offset + length > characters.count { length = characters.count - offset }
            return .string(String(characters[offset..<(offset + length)]))
        case "indent": try count(2...2)
            let spaces = String(repeating: " ", count: Swift.max(0, try int(0)))
            let lines = (try string(1)).components(separatedBy: "\n")
            return .string(([lines[0]] + lines.dropFirst().map { $0.isEmpty ? $0 : spaces + $0 }).joined(separator: "\n"))
        case "format":
            try count(1...Int.max)
            return .string(try format(try string(0), Array(arguments.dropFirst())))
        case "formatlist":
            try count(1...Int.max)
            let spec = try string(0)
            let rest = Array(arguments.dropFirst())
            let lengths = rest.compactMap(\.listValue).map(\.count)
            guard Set(lengths).count <= 1 else { throw fail("all list arguments must have the same length") }
            let n = lengths.first ?? 1
            return .list(try (0..<n).map { index in
                .string(try format(spec, rest.map { $0.listValue?[index] ?? $0 }))
            })

        // Collections
        case "length": try count(1...1)
            switch arguments[0] {
            case .list(let items): return .number(Double(items.count))
            case .object: return .number(Double(arguments[0].sortedEntries.count))
            case .string(let s): return .number(Double(s.count))
            case .unknown: return arguments[0]
            default: throw fail("needs a string, list or map, got \(arguments[0].typeName)")
            }
        case "alltrue", "anytrue": try count(1...1)
            let flags = try list(0).map { item -> Bool in
                guard let b = item.boolValue else { throw fail("every element must be a bool") }
                return b
            }
            return .bool(name == "alltrue" ? flags.allSatisfy { $0 } : flags.contains(true))
        case "chunklist": try count(2...2)
            let items = try list(0), size = try int(1)
            guard size >= 0 else { throw fail("the size must not be negative") }
            if size == 0 { return .list([.list(items)]) }
            return .list(stride(from: 0, to: items.count, by: size).map { .list(Array(items[$0..<Swift.min($0 + size, items.count)])) })
        case "coalesce":
            for argument in arguments {
                if case .unknown = argument { return argument }
                if argument.isNull { continue }
                if case .string("") = argument { continue }
                return argument
            }
            throw fail("no non-null, non-empty argument", fix: "add a final default value")
        case "coalescelist":
            for argument in arguments {
                if case .unknown = argument { return argument }
                if case .list(let items) = argument, !items.isEmpty { return argument }
            }
            return .list([])
        case "compact": try count(1...1)
            return .list(try list(0).filter { item in
                if item.isNull { return false }
                if case .string("") = item { return false }
                return true
            })
        case "concat":
            return .list(try arguments.indices.flatMap { try list($0) })
        case "contains": try count(2...2)
            let items = try list(0)
            if items.contains(where: { if case .unknown = $0 { true } else { false } }) { return .unknown(HCLUnknown("contains()")) }
            return .bool(items.contains { Evaluator.equal($0, arguments[1]) })
        case "distinct": try count(1...1)
            var seen: [HCLValue] = []
            for item in try list(0) where !seen.contains(item) { seen.append(item) }
            return .list(seen)
        case "element": try count(2...2)
            let items = try list(0), index = try int(1)
            guard !items.isEmpty else { throw fail("cannot take an element of an empty list") }
            guard index >= 0 else { throw fail("the index must not be negative") }
            return items[index % items.count]
        case "index": try count(2...2)
            guard let found = try list(0).firstIndex(where: { Evaluator.equal($0, arguments[1]) }) else { throw fail("the value is not in the list") }
            return .number(Double(found))
        case "flatten": try count(1...1)
            func flat(_ value: HCLValue, _ depth: Int) throws -> [HCLValue] {
                guard depth < 64 else { throw fail("lists nest too deeply") }
                if case .list(let items) = value { return try items.flatMap { try flat($0, depth + 1) } }
                return [value]
            }
            return .list(try list(0).flatMap { try flat($0, 0) })
        case "keys": try count(1...1)
            if case .unknown = arguments[0] { return arguments[0] }
            _ = try object(0)
            return .list(arguments[0].sortedEntries.map { .string($0.key) })
        case "values": try count(1...1)
            if case .unknown = arguments[0] { return arguments[0] }
            _ = try object(0)
            return .list(arguments[0].sortedEntries.map(\.value))
        case "lookup": try count(2...3)
            if case .unknown = arguments[0] { return arguments[0] }
            let members = try object(0), key = try string(1)
            if let found = members[key] { return found }
            if arguments.count == 3 { return arguments[2] }
            throw fail("the map has no key \"\(key)\"", fix: "give a default as the third argument")
        case "merge":
            var members: [String: HCLValue] = [:]
            for argument in arguments {
                switch argument {
                case .null: continue
                case .object(let more): members.merge(more) { $1 }
                case .unknown: return argument
                default: throw fail("every argument must be a map or object, got \(argument.typeName)")
                }
            }
            return .object(members)
        case "one": try count(1...1)
            let items = try list(0)
            guard items.count <= 1 else { throw fail("the list has \(items.count) elements; one() needs zero or one") }
            return items.first ?? .null
        case "range":
            try count(1...3)
            let start = arguments.count == 1 ? 0 : try number(0)
            let end = arguments.count == 1 ? try number(0) : try number(1)
            let step = arguments.count == 3 ? try number(2) : (start <= end ? 1 : -1)
            guard step != 0 else { throw fail("the step must not be zero") }
            guard (end - start) / step >= 0 else { throw fail("the step goes the wrong way") }
            let n = Int(((end - start) / step).rounded(.up))
            guard n <= Evaluator.maxCollection else { throw fail("would produce more than \(Evaluator.maxCollection) numbers") }
            try evaluator.spend(Swift.max(0, n), at: position)
            return .list((0..<Swift.max(0, n)).map { .number(start + Double($0) * step) })
        case "reverse": try count(1...1); return .list(try list(0).reversed())
        case "setunion": return set(try arguments.indices.flatMap { try list($0) })
        case "setintersection":
            try count(1...Int.max)
            var result = try list(0)
            for index in 1..<arguments.count {
                let other = try list(index)
                result = result.filter { other.contains($0) }
            }
            return set(result)
        case "setsubtract": try count(2...2)
            let other = try list(1)
            return set(try list(0).filter { !other.contains($0) })
        case "setproduct":
            var result: [[HCLValue]] = [[]]
            for index in arguments.indices {
                result = try result.flatMap { prefix in try list(index).map { prefix + [$0] } }
                guard result.count <= Evaluator.maxCollection else { throw fail("the product is too large") }
            }
            return .list(result.map { .list($0) })
        case "slice": try count(3...3)
            let items = try list(0), start = try int(1), end = try int(2)
            guard 0 <= start, start <= end, end <= items.count else { throw fail("indices \(start)…\(end) are out of range for \(items.count) elements") }
            return .list(Array(items[start..<end]))
        case "sort": try count(1...1)
            let strings = try list(0).map { item -> String in
                guard let s = item.stringValue else { throw fail("every element must be a string") }
                return s
            }
            return .list(strings.sorted().map { .string($0) })
        case "transpose": try count(1...1)
            var result: [String: [String]] = [:]
            for (key, value) in arguments[0].sortedEntries {
                for item in value.listValue ?? [] { if let s = item.stringValue { result[s, default: []].append(key) } }
            }
            return .object(result.mapValues { .list($0.sorted().map { .string($0) }) })
        case "zipmap": try count(2...2)
            let keys = try list(0), values = try list(1)
            guard keys.count == values.count else { throw fail("the key and value lists have different lengths") }
            var members: [String: HCLValue] = [:]
            for (key, value) in zip(keys, values) {
                guard let k = key.stringValue else { throw fail("keys must be strings") }
                members[k] = value
            }
            return .object(members)

        // Encoding
        case "base64encode": try count(1...1); return .string(Data((try string(0)).utf8).base64EncodedString())
        case "base64decode": try count(1...1)
            guard let data = Data(base64Encoded: try string(0)), let s = String(data: data, encoding: .utf8) else { throw fail("not valid base64 of UTF-8 text") }
            return .string(s)
        case "jsonencode": try count(1...1)
            if let unknown = arguments[0].firstUnknown { return .unknown(unknown) }
            guard let text = arguments[0].jsonText() else { throw fail("cannot encode the value") }
            return .string(text)
        case "jsondecode": try count(1...1)
            return try TerraformFunctions.decodeJSON(try string(0), file: position.file)
        case "urlencode": try count(1...1)
            var out = ""
            for byte in (try string(0)).utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                    out.append(Character(Unicode.Scalar(byte)))
                case UInt8(ascii: " "): out += "+"
                default: out += String(format: "%%%02X", byte)
                }
            }
            return .string(out)

        // Type conversion
        case "tostring": try count(1...1)
            if case .unknown = arguments[0] { return arguments[0] }
            if arguments[0].isNull { return .null }
            guard let s = arguments[0].stringValue else { throw fail("cannot convert a \(arguments[0].typeName) to a string") }
            return .string(s)
        case "tonumber": try count(1...1)
            if arguments[0].isNull { return .null }
            guard let n = arguments[0].numberValue else { throw fail("cannot convert '\(arguments[0].stringValue ?? arguments[0].typeName)' to a number") }
            return .number(n)
        case "tobool": try count(1...1)
            if arguments[0].isNull { return .null }
            guard let b = arguments[0].boolValue else { throw fail("cannot convert the value to a bool") }
            return .bool(b)
        case "tolist": try count(1...1)
            if case .unknown = arguments[0] { return arguments[0] }
            return .list(Evaluator.unified(try list(0)))
        case "toset": try count(1...1)
            if case .unknown = arguments[0] { return arguments[0] }
            return set(Evaluator.unified(try list(0)))
        case "tomap": try count(1...1)
            if case .unknown = arguments[0] { return arguments[0] }
            let members = try object(0)
            let keys = members.keys.sorted()
            return .object(Dictionary(uniqueKeysWithValues: zip(keys, Evaluator.unified(keys.map { members[$0]! }))))
        case "nonsensitive", "sensitive": try count(1...1); return arguments[0]
        case "type": try count(1...1); return .string(arguments[0].typeName)

        // IP network (IPv4)
        case "cidrhost": try count(2...2)
            let network = try prefix(0)
            var host = try int(1)
            if host < 0 { host += Int(network.size) }
            guard host >= 0, UInt64(host) < network.size else { throw fail("host number \(try int(1)) does not fit in \(network)") }
            return .string(network.network.advanced(by: host).description)
        case "cidrnetmask": try count(1...1)
            return .string(IPv4Address(IPv4Prefix.mask(try prefix(0).length)).description)
        case "cidrsubnet": try count(3...3)
            let network = try prefix(0), bits = try int(1), number = try int(2)
            guard bits >= 0, network.length + bits <= 32, number >= 0, number < (1 << bits) else {
                throw fail("\(network) has no subnet \(number) with \(bits) more bits")
            }
            guard let subnet = network.subnet(newBits: bits, index: number) else { throw fail("\(network) has no subnet \(number) with \(bits) more bits") }
            return .string(subnet.description)
        case "cidrsubnets":
            try count(1...Int.max)
            let network = try prefix(0)
            let bits = try (1..<arguments.count).map { try int($0) }
            guard bits.allSatisfy({ $0 > 0 && network.length + $0 <= 32 }), let subnets = network.consecutiveSubnets(newBits: bits) else {
                throw fail("the subnets do not fit in \(network)")
            }
            return .list(subnets.map { .string($0.description) })

        // Files
        case "file", "filebase64": try count(1...1)
            let file = path(try string(0))
            guard let data = FileManager.default.contents(atPath: file) else {
                throw fail("cannot read '\(try string(0))'", fix: "paths are relative to the directory Palisade runs in; use path.module")
            }
            if name == "filebase64" { return .string(data.base64EncodedString()) }
            guard let text = String(data: data, encoding: .utf8) else { throw fail("'\(try string(0))' is not UTF-8 text") }
            return .string(text)
        case "fileexists": try count(1...1); return .bool(FileManager.default.fileExists(atPath: path(try string(0))))
        case "abspath": try count(1...1); return .string(path(try string(0)))
        case "basename": try count(1...1); return .string(URL(fileURLWithPath: try string(0)).lastPathComponent)
        case "dirname": try count(1...1)
            let s = try string(0)
            guard let slash = s.lastIndex(of: "/") else { return .string(".") }
            return .string(slash == s.startIndex ? "/" : String(s[..<slash]))
        case "templatefile": try count(2...2)
            let file = path(try string(0))
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw fail("cannot read '\(try string(0))'")
            }
            let parts = try HCLParser.parseTemplate(text: text, file: file)
            var inner = Scope(module: scope.module)
            for (key, value) in try object(1) { inner.bindings[key] = value }
            return try evaluator.evaluate(HCLExpression(.template(parts), HCLPosition(file: file, line: 1, column: 1)), inner)

        // Hashes and values only known at apply
        case "md5": try count(1...1); return .string(Insecure.MD5.hash(data: Data((try string(0)).utf8)).map { String(format: "%02x", $0) }.joined())
        case "sha1": try count(1...1); return .string(Insecure.SHA1.hash(data: Data((try string(0)).utf8)).map { String(format: "%02x", $0) }.joined())
        case "sha256": try count(1...1); return .string(SHA256.hash(data: Data((try string(0)).utf8)).map { String(format: "%02x", $0) }.joined())
        case "sha512": try count(1...1); return .string(SHA512.hash(data: Data((try string(0)).utf8)).map { String(format: "%02x", $0) }.joined())
        case "base64sha256": try count(1...1); return .string(Data(SHA256.hash(data: Data((try string(0)).utf8))).base64EncodedString())
        case "uuid", "timestamp", "plantimestamp", "uuidv5", "formatdate", "base64gzip":
            evaluator.assume("\(name)() is only known when Terraform runs; values built from it are read as unknown")
            return .unknown(HCLUnknown("\(name)()"))
        default:
            throw EvalError("call to unknown function '\(name)'", at: position, code: "terraform.unknown-function")
        }
    }

    func regex(_ pattern: String) throws -> NSRegularExpression {
        do {
            // Terraform uses Go's RE2 syntax, whose named groups are written (?P<name>…); ICU spells them (?<name>…).
            return try NSRegularExpression(pattern: pattern.replacingOccurrences(of: "(?P<", with: "(?<"))
        } catch {
            throw fail("invalid regular expression '\(pattern)'")
        }
    }

    /// An integer in base 2-62 with Go's digits: 0-9, then a-z (A-Z too up to base 36), then A-Z for 36-61.
    static func parseInteger(_ text: String, base: Int) -> Double? {
        var digits = Substring(text)
        var sign = 1.0
        if digits.hasPrefix("-") { sign = -1; digits = digits.dropFirst() } else if digits.hasPrefix("+") { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var value = 0.0
        for scalar in digits.unicodeScalars {
            let digit: Int
            switch scalar {
            case "0"..."9": digit = Int(scalar.value) - 48
            case "a"..."z": digit = Int(scalar.value) - 97 + 10
            case "A"..."Z": digit = base <= 36 ? Int(scalar.value) - 65 + 10 : Int(scalar.value) - 65 + 36
            default: return nil
            }
            guard digit < base else { return nil }
            value = value * Double(base) + Double(digit)
        }
        return sign * value
    }

    static func groupNames(_ pattern: String) -> [String] {
        var names: [String] = []
        var rest = Substring(pattern)
        while let range = rest.range(of: "(?P<") ?? rest.range(of: "(?<") {
            let after = rest[range.upperBound...]
            guard let close = after.firstIndex(of: ">") else { break }
            names.append(String(after[..<close]))
            rest = after[close...]
        }
        return names
    }

    /// `format` verbs: %s %d %f %v %q %t %x %%, with width/precision (https://developer.hashicorp.com/terraform/language/functions/format).
    func format(_ spec: String, _ values: [HCLValue]) throws -> String {
        var out = ""
        var index = 0
        var characters = spec.makeIterator()
        while let c = characters.next() {
            guard c == "%" else {
                out.append(c)
                continue
            }
            var flags = ""
            var verb: Character?
            while let next = characters.next() {
                if next.isLetter || next == "%" {
                    verb = next
                    break
                }
                flags.append(next)
            }
            guard let verb else { throw fail("unfinished format verb") }
            if verb == "%" {
                out += "%"
                continue
            }
            guard index < values.count else { throw fail("not enough arguments for the format") }
            let value = values[index]
            index += 1
            var text: String
            switch verb {
            case "s", "v":
                if verb == "v", case .list = value { text = value.jsonText() ?? "" } else if verb == "v", case .object = value { text = value.jsonText() ?? "" } else {
                    guard let s = value.stringValue else { throw fail("%\(verb) needs a string, got \(value.typeName)") }
                    text = s
                }
            case "q":
                guard let s = value.stringValue else { throw fail("%q needs a string") }
                text = HCLValue.jsonQuote(s)
            case "d":
                guard let n = value.numberValue, n == n.rounded() else { throw fail("%d needs a whole number") }
                text = String(Int64(n))
            case "f":
                guard let n = value.numberValue else { throw fail("%f needs a number") }
                let precision = flags.split(separator: ".").last.flatMap { flags.contains(".") ? Int($0) : nil } ?? 6
                text = String(format: "%.\(precision)f", n)
            case "t":
                guard let b = value.boolValue else { throw fail("%t needs a bool") }
                text = b ? "true" : "false"
            case "x", "X":
                if let n = value.numberValue, n == n.rounded() { text = String(Int64(n), radix: 16, uppercase: verb == "X") } else {
                    text = (value.stringValue ?? "").utf8.map { String(format: verb == "x" ? "%02x" : "%02X", $0) }.joined()
                }
            case "b":
                guard let n = value.numberValue else { throw fail("%b needs a number") }
                text = String(Int64(n), radix: 2)
            case "o":
                guard let n = value.numberValue else { throw fail("%o needs a number") }
                text = String(Int64(n), radix: 8)
            default:
                throw fail("unsupported format verb %\(verb)")
            }
            let widthText = flags.split(separator: ".").first.map { String($0).filter(\.isNumber) } ?? ""
            if let width = Int(widthText), text.count < width {
                let pad = String(repeating: flags.hasPrefix("0") && verb != "s" ? "0" : " ", count: width - text.count)
                text = flags.hasPrefix("-") ? text + pad : pad + text
            }
            out += text
        }
        return out
    }
}
