import Foundation
import PalisadeModel

extension Evaluator {
    /// Evaluates an expression (https://developer.hashicorp.com/terraform/language/expressions).
    func evaluate(_ expression: HCLExpression, _ scope: Scope) throws -> HCLValue {
        let position = expression.position
        switch expression.kind {
        case .literal(let value):
            return value
        case .template(let parts):
            return try template(parts, scope, position)
        case .parenthesized(let inner):
            return try evaluate(inner, scope)
        case .traversal(let root, let steps):
            return try reference(root, steps, scope, position)
        case .relative(let base, let steps):
            return try traverse(try evaluate(base, scope), steps, scope, open: nil, position)
        case .splat(let base, let steps):
            let value = try evaluate(base, scope)
            let items: [HCLValue]
            switch value {
            case .list(let list): items = list
            case .null: return .list([])
            case .unknown: return value
            default: items = [value]
            }
            return .list(try items.map { try traverse($0, steps, scope, open: nil, position) })
        case .tuple(let items):
            return .list(try items.map { try evaluate($0, scope) })
        case .object(let items):
            var members: [String: HCLValue] = [:]
            for item in items {
                let key: String
                if let word = item.key.bareWord {
                    key = word
                } else {
                    let value = try evaluate(item.key, scope)
                    if case .unknown = value { return value }
                    guard let text = value.stringValue else {
                        throw EvalError("object key must be a string, got \(value.typeName)", at: item.key.position)
                    }
                    key = text
                }
                members[key] = try evaluate(item.value, scope)
            }
            return .object(members)
        case .call(let name, let argumentExpressions, let expandFinal):
            return try call(name, argumentExpressions, expandFinal: expandFinal, scope, position)
        case .conditional(let condition, let yes, let no):
            let test = try evaluate(condition, scope)
            if case .unknown = test {
                // Both branches are still evaluated, so their errors are reported.
                let a = try evaluate(yes, scope), b = try evaluate(no, scope)
                return a == b ? a : test
            }
            guard let flag = test.boolValue else {
                throw EvalError("the condition must be true or false, got \(test.typeName)", at: condition.position)
            }
            return try evaluate(flag ? yes : no, scope)
        case .not(let inner):
            let value = try evaluate(inner, scope)
            if case .unknown = value { return value }
            guard let flag = value.boolValue else { throw EvalError("'!' needs a bool, got \(value.typeName)", at: position) }
            return .bool(!flag)
        case .negate(let inner):
            let value = try evaluate(inner, scope)
            if case .unknown = value { return value }
            guard let number = value.numberValue else { throw EvalError("'-' needs a number, got \(value.typeName)", at: position) }
            return .number(-number)
        case .binary(let op, let lhs, let rhs):
            return try binary(op, lhs, rhs, scope, position)
        case .forExpression(let loop):
            return try forExpression(loop, scope, position)
        }
    }

    private func template(_ parts: [HCLTemplatePart], _ scope: Scope, _ position: HCLPosition) throws -> HCLValue {
        // A template that is one interpolation keeps the value's type (https://developer.hashicorp.com/terraform/language/expressions/strings).
        if parts.count == 1, case .interpolation(let expression) = parts[0] { return try evaluate(expression, scope) }
        var text = ""
        var unknown: HCLUnknown?
        func append(_ parts: [HCLTemplatePart], _ scope: Scope) throws {
            for part in parts {
                switch part {
                case .literal(let literal): text += literal
                case .interpolation(let expression):
                    let value = try evaluate(expression, scope)
                    switch value {
                    case .unknown(let u): unknown = unknown ?? u
                    case .null: throw EvalError("a null value cannot be inserted into a string", at: expression.position,
                                                fix: "use coalesce() or a conditional to give a default")
                    default:
                        guard let s = value.stringValue else {
                            throw EvalError("a \(value.typeName) value cannot be inserted into a string", at: expression.position,
                                            fix: "convert it with jsonencode() or join()")
                        }
                        text += s
                    }
                case .conditional(let condition, let yes, let no):
                    let test = try evaluate(condition, scope)
                    if case .unknown(let u) = test {
                        unknown = unknown ?? u
                        continue
                    }
                    guard let flag = test.boolValue else { throw EvalError("template if needs a bool", at: condition.position) }
                    try append(flag ? yes : no, scope)
                case .loop(let key, let valueName, let collectionExpression, let body):
                    let collection = try evaluate(collectionExpression, scope)
                    for (k, v) in try pairs(collection, collectionExpression.position) {
                        var inner = scope.binding(valueName, v)
                        if let key { inner = inner.binding(key, k) }
                        try append(body, inner)
                    }
                }
                if text.utf8.count > 16 * 1024 * 1024 {
                    throw EvalError("a string grows beyond 16 MiB", at: position)
                }
            }
        }
        try append(parts, scope)
        if let unknown { return .unknown(unknown) }
        return .string(text)
    }

    /// Key/value pairs of a collection: list index or object key.
    func pairs(_ collection: HCLValue, _ position: HCLPosition) throws -> [(HCLValue, HCLValue)] {
        switch collection {
        case .list(let items): return items.enumerated().map { (.number(Double($0.offset)), $0.element) }
        case .object: return collection.sortedEntries.map { (.string($0.key), $0.value) }
        case .null: throw EvalError("cannot iterate over null", at: position)
        case .unknown: return []
        default: throw EvalError("cannot iterate over a \(collection.typeName)", at: position, fix: "use a list, set or map")
        }
    }

    private func forExpression(_ loop: HCLForExpression, _ scope: Scope, _ position: HCLPosition) throws -> HCLValue {
        let collection = try evaluate(loop.collection, scope)
        if case .unknown = collection { return collection }
        var listResult: [HCLValue] = []
        var objectResult: [String: HCLValue] = [:]
        var groups: [String: [HCLValue]] = [:]
        for (key, value) in try pairs(collection, loop.collection.position) {
            try spend(1, at: position)
            var inner = scope.binding(loop.valueName, value)
            if let keyName = loop.keyName { inner = inner.binding(keyName, key) }
            if let condition = loop.condition {
                let test = try evaluate(condition, inner)
                if case .unknown = test { continue }
                guard let flag = test.boolValue else { throw EvalError("the for expression's if needs a bool", at: condition.position) }
                if !flag { continue }
            }
            let result = try evaluate(loop.valueExpression, inner)
            if let keyExpression = loop.keyExpression {
                let keyValue = try evaluate(keyExpression, inner)
                if case .unknown = keyValue { return keyValue }
                guard let text = keyValue.stringValue else { throw EvalError("a for expression key must be a string", at: keyExpression.position) }
                if loop.grouping {
                    groups[text, default: []].append(result)
                } else {
                    if objectResult[text] != nil {
                        throw EvalError("duplicate key '\(text)' in the for expression", at: keyExpression.position,
                                        fix: "add '...' after the value to group duplicates")
                    }
                    objectResult[text] = result
                }
            } else {
                listResult.append(result)
            }
            if listResult.count + objectResult.count > Self.maxCollection {
                throw EvalError("the for expression produces more than \(Self.maxCollection) elements", at: position)
            }
        }
        if loop.keyExpression == nil { return .list(listResult) }
        if loop.grouping { return .object(groups.mapValues { .list($0) }) }
        return .object(objectResult)
    }

    private func binary(_ op: HCLBinaryOperator, _ lhsExpression: HCLExpression, _ rhsExpression: HCLExpression,
                        _ scope: Scope, _ position: HCLPosition) throws -> HCLValue {
        let lhs = try evaluate(lhsExpression, scope)
        // `&&` and `||` do not short-circuit in Terraform, but an unknown side with a decisive known side is decided.
        let rhs = try evaluate(rhsExpression, scope)
        switch op {
        case .and, .or:
            let a = lhs.boolValue, b = rhs.boolValue
            if case .unknown = lhs {
                if op == .and, b == false { return .bool(false) }
                if op == .or, b == true { return .bool(true) }
                return lhs
            }
            if case .unknown = rhs {
                if op == .and, a == false { return .bool(false) }
                if op == .or, a == true { return .bool(true) }
                return rhs
            }
            guard let a, let b else { throw EvalError("'\(op.rawValue)' needs bools, got \(lhs.typeName) and \(rhs.typeName)", at: position) }
            return .bool(op == .and ? a && b : a || b)
        case .equal, .notEqual:
            if case .unknown = lhs { return lhs }
            if case .unknown = rhs { return rhs }
            let same = Self.equal(lhs, rhs)
            return .bool(op == .equal ? same : !same)
        default:
            if case .unknown = lhs { return lhs }
            if case .unknown = rhs { return rhs }
            guard let a = lhs.numberValue, let b = rhs.numberValue else {
                throw EvalError("'\(op.rawValue)' needs numbers, got \(lhs.typeName) and \(rhs.typeName)", at: position)
            }
            switch op {
            case .add: return .number(a + b)
            case .subtract: return .number(a - b)
            case .multiply: return .number(a * b)
            case .divide:
                guard b != 0 else { throw EvalError("division by zero", at: position) }
                return .number(a / b)
            case .modulo:
                guard b != 0 else { throw EvalError("modulo by zero", at: position) }
                return .number(a.truncatingRemainder(dividingBy: b))
            case .less: return .bool(a < b)
            case .greater: return .bool(a > b)
            case .lessEqual: return .bool(a <= b)
            case .greaterEqual: return .bool(a >= b)
            default: return .null
            }
        }
    }

    /// Terraform equality: numbers by value, strings exactly, collections element-wise.
    static func equal(_ a: HCLValue, _ b: HCLValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x == y
        default: a == b
        }
    }

    // MARK: - References

    private func reference(_ root: String, _ steps: [HCLTraverser], _ scope: Scope, _ position: HCLPosition) throws -> HCLValue {
        if let bound = scope.bindings[root] { return try traverse(bound, steps, scope, open: nil, position) }
        let module = scope.module
        func name(_ index: Int, _ what: String) throws -> String {
            guard index < steps.count, case .attribute(let text) = steps[index] else {
                throw EvalError("expected \(what) after '\(root)'", at: position, fix: "write \(root).NAME")
            }
            return text
        }
        switch root {
        case "var":
            return try traverse(try variable(try name(0, "a variable name"), in: module, at: position), Array(steps.dropFirst()), scope, open: nil, position)
        case "local":
            return try traverse(try local(try name(0, "a local value name"), in: module, at: position), Array(steps.dropFirst()), scope, open: nil, position)
        case "each", "count":
            throw EvalError("'\(root)' is only available in a resource or module block that sets \(root == "each" ? "for_each" : "count")",
                            at: position, fix: "add \(root == "each" ? "for_each" : "count") to the block, or remove the reference")
        case "path":
            let which = try name(0, "module, root or cwd")
            let value: String = switch which {
            case "module": module.config.directory
            case "root": rootDirectory
            default: FileManager.default.currentDirectoryPath
            }
            return .string(value)
        case "terraform":
            let which = try name(0, "workspace")
            if which == "workspace" { return .string("default") }
            return .unknown(HCLUnknown("terraform.\(which)"))
        case "self":
            return .unknown(HCLUnknown("self"))
        case "module":
            let call = try name(0, "a module name")
            let callBlock = module.config.moduleCalls[call]
            let single = callBlock?.body.attribute("count") == nil && callBlock?.body.attribute("for_each") == nil
            if single, steps.count >= 2, case .attribute(let outputName) = steps[1] {
                let value = try moduleValue(call, in: module, onlyOutput: outputName, at: position)
                let open = module.qualify("module.\(call).\(outputName)")
                if case .unknown = value { return value }
                return try traverse(value[outputName] ?? .null, Array(steps.dropFirst(2)), scope, open: open, position)
            }
            let value = try moduleValue(call, in: module, onlyOutput: nil, at: position)
            return try traverse(value, Array(steps.dropFirst()), scope, open: module.qualify("module.\(call)"), position)
        case "data":
            let type = try name(0, "a data source type"), label = try name(1, "a data source name")
            let local = "data.\(type).\(label)"
            return try traverse(try resource(local, in: module, at: position), Array(steps.dropFirst(2)), scope, open: module.qualify(local), position)
        default:
            guard !steps.isEmpty else {
                throw EvalError("unknown name '\(root)'", at: position,
                                fix: "references start with var., local., module., data. or a resource type", code: "terraform.undeclared")
            }
            if module.config.resourceIndex["\(root).\(try name(0, "a resource name"))"] == nil, !root.contains("_") {
                throw EvalError("unknown name '\(root)'", at: position,
                                fix: "references start with var., local., module., data. or a resource type", code: "terraform.undeclared")
            }
            let local = "\(root).\(try name(0, "a resource name"))"
            return try traverse(try resource(local, in: module, at: position), Array(steps.dropFirst()), scope, open: module.qualify(local), position)
        }
    }

    /// Applies attribute and index steps. `open` names the resource or module a value came from: a missing attribute
    /// of such a value is computed by the provider, so it is unknown rather than an error.
    func traverse(_ start: HCLValue, _ steps: [HCLTraverser], _ scope: Scope, open: String?, _ position: HCLPosition) throws -> HCLValue {
        var value = start
        var path = open
        for step in steps {
            if case .unknown = value { return value }
            switch step {
            case .attribute(let name):
                path = path.map { "\($0).\(name)" }
                switch value {
                case .object(let members):
                    if let member = members[name] {
                        value = member
                    } else if let path {
                        return .unknown(HCLUnknown(path))
                    } else if case .string(let address)? = members[Evaluator.addressKey] {
                        path = "\(address).\(name)"
                        return .unknown(HCLUnknown(path!))
                    } else {
                        throw EvalError("this object has no attribute '\(name)'", at: position,
                                        fix: members.isEmpty ? nil : "attributes are: \(members.keys.sorted().prefix(12).joined(separator: ", "))")
                    }
                case .list(let items) where path != nil && items.count == 1:
                    // A nested block read with attribute syntax (legacy `block.attr`); Terraform needs [0].
                    value = items[0][name] ?? .unknown(HCLUnknown(path!))
                case .null:
                    throw EvalError("attribute '\(name)' of a null value", at: position, fix: "check that the value is set, or use try()")
                default:
                    throw EvalError("a \(value.typeName) has no attribute '\(name)'", at: position)
                }
            case .index(let expression):
                let key = try evaluate(expression, scope)
                if case .unknown = key { return key }
                switch value {
                case .list(let items):
                    guard let number = key.numberValue, number == number.rounded() else {
                        throw EvalError("a list index must be a whole number, got \(key.typeName)", at: expression.position)
                    }
                    path = path.map { "\($0)[\(HCLValue.format(number))]" }
                    let index = Int(number)
                    if index >= 0, index < items.count {
                        value = items[index]
                    } else if let path, items.isEmpty {
                        return .unknown(HCLUnknown(path))
                    } else {
                        throw EvalError("index \(index) is out of range for a list of \(items.count)", at: expression.position)
                    }
                case .object(let members):
                    guard let text = key.stringValue else { throw EvalError("a map key must be a string", at: expression.position) }
                    path = path.map { "\($0)[\"\(text)\"]" }
                    if let member = members[text] {
                        value = member
                    } else if let path {
                        return .unknown(HCLUnknown(path))
                    } else {
                        throw EvalError("the map has no key \"\(text)\"", at: expression.position, fix: "use lookup() with a default, or try()")
                    }
                case .null:
                    throw EvalError("cannot index a null value", at: expression.position)
                default:
                    throw EvalError("cannot index a \(value.typeName)", at: expression.position)
                }
            }
        }
        return value
    }
}
