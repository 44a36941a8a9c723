import Foundation

/// A JSON value decoded without losing the difference between booleans and numbers.
indirect enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Int.self) { self = .int(v) }
        else if let v = try? c.decode(Double.self) { self = .double(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else if let v = try? c.decode([JSONValue].self) { self = .array(v) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    static func parse(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    subscript(key: String) -> JSONValue? { if case .object(let o) = self { o[key] } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .int(let i) = self { i } else { nil } }
    var number: Double? {
        switch self { case .int(let i): Double(i); case .double(let d): d; default: nil }
    }
}

/// The JSON Schema draft-07 keywords the SARIF 2.1.0 schema uses (`$ref`, `type`, `enum`, `properties`,
/// `additionalProperties`, `required`, `items`, `minItems`, `uniqueItems`, `minimum`, `maximum`, `pattern`,
/// `oneOf`, `anyOf`), checked the way `jsonschema.Draft7Validator` checks them in scripts/validate-sarif.py
/// (`format` is an annotation there too, not an assertion).
struct JSONSchemaSubset {
    let root: JSONValue

    func errors(_ value: JSONValue) -> [String] {
        var errors: [String] = []
        validate(value, root, "$", &errors)
        return errors
    }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for part in ref.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    private func isType(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("integer", .int),
             ("number", .int), ("number", .double): true
        case ("integer", .double(let d)): d == d.rounded()
        default: false
        }
    }

    private func validate(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ errors: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): not allowed") }
            return
        }
        if let ref = schema["$ref"]?.string {
            guard let target = resolve(ref) else { errors.append("\(path): unresolvable \(ref)"); return }
            validate(value, target, path, &errors)
        }
        if let type = schema["type"] {
            let types = type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 }
            if !types.contains(where: { isType(value, $0) }) { errors.append("\(path): expected \(types.joined(separator: "|"))") }
        }
        if let options = schema["enum"]?.array, !options.contains(value) { errors.append("\(path): not one of the enum values") }
        if let minimum = schema["minimum"]?.number, let n = value.number, n < minimum { errors.append("\(path): below \(minimum)") }
        if let maximum = schema["maximum"]?.number, let n = value.number, n > maximum { errors.append("\(path): above \(maximum)") }
        if let pattern = schema["pattern"]?.string, case .string(let text) = value,
           text.range(of: pattern, options: .regularExpression) == nil {
            errors.append("\(path): '\(text)' does not match \(pattern)")
        }
        if case .object(let object) = value {
            let properties: [String: JSONValue] = if case .object(let p)? = schema["properties"] { p } else { [:] }
            for key in schema["required"]?.array?.compactMap(\.string) ?? [] where object[key] == nil {
                errors.append("\(path): missing required '\(key)'")
            }
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                if let propertySchema = properties[key] {
                    validate(child, propertySchema, "\(path).\(key)", &errors)
                } else if let additional = schema["additionalProperties"] {
                    validate(child, additional, "\(path).\(key)", &errors)
                }
            }
        }
        if case .array(let items) = value {
            if let minimum = schema["minItems"]?.int, items.count < minimum { errors.append("\(path): fewer than \(minimum) items") }
            if schema["uniqueItems"] == .bool(true) {
                for (i, item) in items.enumerated() where items[..<i].contains(item) { errors.append("\(path)[\(i)]: duplicate item") }
            }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() { validate(item, itemSchema, "\(path)[\(i)]", &errors) }
            }
        }
        if let options = schema["anyOf"]?.array {
            let passing = options.filter { option in var e: [String] = []; validate(value, option, path, &e); return e.isEmpty }
            if passing.isEmpty { errors.append("\(path): matches none of anyOf") }
        }
        if let options = schema["oneOf"]?.array {
            let passing = options.filter { option in var e: [String] = []; validate(value, option, path, &e); return e.isEmpty }
            if passing.count != 1 { errors.append("\(path): matches \(passing.count) of oneOf, expected exactly 1") }
        }
    }
}
