import Foundation

/// Evaluates parsed expressions against a template host.
struct ExpressionEvaluator {
    unowned let host: any EvaluationHost
    var lambdaScope: [String: ARMValue] = [:]

    init(host: any EvaluationHost) {
        self.host = host
    }

    func evaluate(_ e: Expression) throws -> ARMValue {
        switch e {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .property(let base, let name):
            let b = try evaluate(base)
            return try member(b, name)
        case .index(let base, let indexExpr):
            let b = try evaluate(base)
            let i = try evaluate(indexExpr)
            return try index(b, i)
        case .call(let name, let args, let offset):
            do {
                return try call(name, args)
            } catch var error as ARMEvalError {
                if error.offset == nil { error.offset = offset }
                throw error
            }
        }
    }

    func member(_ base: ARMValue, _ name: String) throws -> ARMValue {
        switch base {
        case .unknown(let why): return .unknown("\(why).\(name)")
        case .secret: return base
        case .object(let o):
            guard let v = o[name] else {
                if case .unknown(let origin)? = o[ARMObject.runtimeKey] { return .unknown("reference('\(origin)').\(name)") }
                throw ARMEvalError("the object has no property '\(name)'; it has: \(o.keys.joined(separator: ", "))", code: "arm.missing-property")
            }
            if case .unknown(let origin)? = o[ARMObject.runtimeKey] { return Self.markRuntime(v, origin: origin) }
            return v
        default:
            throw ARMEvalError("cannot read property '\(name)' of a \(base.typeName) value", code: "arm.type")
        }
    }

    /// Marks values read out of a deployed resource so that properties only Azure knows read as unknown.
    /// `origin` is the ID of the deployed resource the value was read from.
    static func markRuntime(_ v: ARMValue, origin: String) -> ARMValue {
        switch v {
        case .object(var o):
            if !o.contains(ARMObject.runtimeKey) { o[ARMObject.runtimeKey] = .unknown(origin) }
            return .object(o)
        case .array(let a): return .array(a.map { markRuntime($0, origin: origin) })
        default: return v
        }
    }

    func index(_ base: ARMValue, _ i: ARMValue) throws -> ARMValue {
        if case .unknown(let why) = base { return .unknown("\(why)[\(ARMText.string(i))]") }
        if case .unknown = i { return i }
        switch (base, i) {
        case (.array(let a), .int(let n)):
            guard n >= 0, n < a.count else {
                throw ARMEvalError("index \(n) is out of range for an array of \(a.count) elements", code: "arm.index")
            }
            return a[Int(n)]
        case (.object, .string(let key)):
            return try member(base, key)
        default:
            throw ARMEvalError("cannot index a \(base.typeName) value with a \(i.typeName)", code: "arm.type")
        }
    }

    // MARK: - Calls

    /// Functions whose arguments are not all evaluated eagerly.
    private static let lazy: Set<String> = ["if", "lambda", "lambdavariables", "map", "filter", "reduce", "sort", "toobject",
                                            "groupby", "mapvalues", "coalesce", "and", "or"]

    /// Functions that return (part of) a value that was already measured when it was built.
    private static let lookups: Set<String> = ["parameters", "variables", "reference", "lambdavariables", "if", "coalesce", "first",
                                               "last", "tryget", "indexfromend", "tryindexfromend", "min", "max"]

    func call(_ rawName: String, _ argExprs: [Expression]) throws -> ARMValue {
        let result = try callUncharged(rawName, argExprs)
        let limit = host.limits.maxValueBytes
        switch result {
        case .string(let s):
            let bytes = s.utf8.count
            guard bytes <= limit else { throw Self.tooLarge(rawName, limit) }
            try host.spend(1 + bytes / 16)
        case .array, .object:
            if Self.lookups.contains(rawName.lowercased()) {
                try host.spend(1)
            } else {
                // Shared sub-values (createArray(x, x) repeated) would otherwise grow exponentially at no cost.
                guard let size = result.jsonSize(limit: limit) else { throw Self.tooLarge(rawName, limit) }
                try host.spend(1 + (result.arrayValue?.count ?? 0) + (result.objectValue?.count ?? 0) + size / 16)
            }
        default:
            try host.spend(1)
        }
        return result
    }

    /// The error for a value that outgrows the size bound.
    static func tooLarge(_ function: String, _ limit: Int) -> ARMEvalError {
        ARMEvalError("\(function)() builds a value larger than \(limit / (1024 * 1024)) MB, more than a whole Azure template may hold",
                     code: "arm.value-too-large", fix: "build smaller values; Azure rejects templates over 4 MB")
    }

    /// Checked 64-bit arithmetic: Azure fails the deployment on overflow instead of wrapping around.
    static func checked(_ name: String, _ x: Int64, _ y: Int64, _ op: (Int64) -> (Int64) -> (partialValue: Int64, overflow: Bool)) throws -> Int64 {
        let (value, overflow) = op(x)(y)
        guard !overflow else {
            throw ARMEvalError("\(name)(\(x), \(y)) does not fit in a 64-bit integer", code: "arm.overflow",
                               fix: "keep integer arithmetic between \(Int64.min) and \(Int64.max)")
        }
        return value
    }

    /// The integer a float stands for, or an error when it is not finite or outside the 64-bit range.
    static func exactInt(_ d: Double, in function: String) throws -> Int64 {
        guard d.isFinite, let i = Int64(exactly: d.rounded(.towardZero)) else {
            throw ARMEvalError("\(function)(): \(d) does not fit in a 64-bit integer", code: "arm.overflow")
        }
        return i
    }

    private func callUncharged(_ rawName: String, _ argExprs: [Expression]) throws -> ARMValue {
        let name = rawName.lowercased()
        if ExpressionEvaluator.lazy.contains(name) { return try lazyCall(name, argExprs) }
        let args = try argExprs.map { try evaluate($0) }
        // Unknown inputs make an unknown output (except for functions that only inspect structure).
        if let unknown = args.first(where: { $0.isUnknown }), !["createarray", "createobject", "array", "json", "string", "concat", "union"].contains(name) {
            if case .unknown(let why) = unknown { return .unknown("\(rawName)(…\(why)…)") }
        }
        // Secure values never leak through computation: text built from them stays secret, anything else is unknown.
        if let secret = args.first(where: { if case .secret = $0 { return true } else { return false } }),
           !["createarray", "createobject", "array", "union", "coalesce"].contains(name) {
            let textual: Set<String> = ["concat", "format", "replace", "tolower", "toupper", "trim", "substring", "base64", "string",
                                        "uri", "uricomponent", "padleft", "skip", "take", "datauri", "join"]
            return textual.contains(name) ? secret : .unknown("\(rawName)() of a secure value")
        }
        if name.contains(".") {
            if let v = try host.userFunction(rawName, args) { return v }
            throw ARMEvalError("unknown user-defined function '\(rawName)'", code: "arm.unknown-function", fix: "define it under 'functions' with that namespace and member name")
        }
        if name.hasPrefix("list") {
            return .unknown("\(rawName)(\(args.map { ARMText.string($0) }.joined(separator: ", ")))")
        }
        return try builtin(name, rawName, args)
    }

    private func lambdaFunction(_ e: Expression, arity: Int, in fn: String) throws -> ([ARMValue]) throws -> ARMValue {
        guard case .call(let n, let largs, _) = e, n.lowercased() == "lambda", let body = largs.last else {
            throw ARMEvalError("'\(fn)' expects a lambda(...) argument", code: "arm.lambda")
        }
        let params = try largs.dropLast().map { p -> String in
            guard case .string(let s) = p else { throw ARMEvalError("lambda parameter names must be string literals", code: "arm.lambda") }
            return s
        }
        guard params.count <= arity else {
            throw ARMEvalError("the lambda passed to '\(fn)' takes \(params.count) parameters; at most \(arity) are supplied", code: "arm.lambda")
        }
        return { values in
            var inner = self
            for (p, v) in zip(params, values) { inner.lambdaScope[p.lowercased()] = v }
            return try inner.evaluate(body)
        }
    }

    private func lazyCall(_ name: String, _ a: [Expression]) throws -> ARMValue {
        switch name {
        case "if":
            try arity(name, a, 3, 3)
            let c = try evaluate(a[0])
            if case .unknown(let why) = c { return .unknown("if(\(why))") }
            guard let b = try? bool(c) else { throw ARMEvalError("if() needs a bool condition, got \(c.typeName)", code: "arm.type") }
            return try evaluate(b ? a[1] : a[2])
        case "and", "or":
            try arity(name, a, 1, nil)
            var sawUnknown: ARMValue? = nil
            for e in a {
                let v = try evaluate(e)
                if v.isUnknown { sawUnknown = v; continue }
                let b = try bool(v)
                if name == "and" && !b { return .bool(false) }
                if name == "or" && b { return .bool(true) }
            }
            return sawUnknown ?? .bool(name == "and")
        case "coalesce":
            for e in a {
                let v = try evaluate(e)
                if v != .null { return v }
            }
            return .null
        case "lambda":
            throw ARMEvalError("lambda() can only be used as an argument of map, filter, reduce, sort, toObject, groupBy or mapValues", code: "arm.lambda")
        case "lambdavariables":
            try arity(name, a, 1, 1)
            let n = try str(try evaluate(a[0]))
            guard let v = lambdaScope[n.lowercased()] else {
                throw ARMEvalError("lambda variable '\(n)' is not defined here", code: "arm.lambda")
            }
            return v
        default:
            break
        }
        // Array-with-lambda functions.
        try arity(name, a, 2, 3)
        let source = try evaluate(a[0])
        if source.isUnknown { return .unknown("\(name)(…)") }
        switch name {
        case "map":
            let f = try lambdaFunction(a[1], arity: 2, in: name)
            return .array(try array(source).enumerated().map { try f([$0.element, .int(Int64($0.offset))]) })
        case "filter":
            let f = try lambdaFunction(a[1], arity: 2, in: name)
            return .array(try array(source).enumerated().filter { try bool(try f([$0.element, .int(Int64($0.offset))])) }.map(\.element))
        case "reduce":
            try arity(name, a, 3, 3)
            var acc = try evaluate(a[1])
            let f = try lambdaFunction(a[2], arity: 3, in: name)
            for (i, e) in try array(source).enumerated() { acc = try f([acc, e, .int(Int64(i))]) }
            return acc
        case "sort":
            let f = try lambdaFunction(a[1], arity: 2, in: name)
            var items = try array(source)
            var failure: (any Error)? = nil
            // Stable insertion sort so a throwing comparator is handled without rethrowing closures.
            var sorted: [ARMValue] = []
            for item in items {
                var pos = sorted.count
                while pos > 0 {
                    let less: Bool
                    do { less = try bool(try f([item, sorted[pos - 1]])) } catch { failure = error; less = false }
                    if !less { break }
                    pos -= 1
                }
                sorted.insert(item, at: pos)
            }
            if let failure { throw failure }
            items = sorted
            return .array(items)
        case "toobject":
            let key = try lambdaFunction(a[1], arity: 1, in: name)
            let value = a.count > 2 ? try lambdaFunction(a[2], arity: 1, in: name) : { $0[0] }
            var o = ARMObject()
            for e in try array(source) { o[try str(try key([e]))] = try value([e]) }
            return .object(o)
        case "groupby":
            let key = try lambdaFunction(a[1], arity: 1, in: name)
            var groups = ARMObject()
            var members: [[ARMValue]] = []
            var slot: [String: Int] = [:]
            for e in try array(source) {
                let k = try str(try key([e]))
                let folded = k.lowercased()
                if let i = slot[folded] { members[i].append(e) } else {
                    slot[folded] = members.count
                    members.append([e])
                    groups[k] = .null
                }
            }
            var o = ARMObject()
            for entry in groups.entries { o[entry.key] = .array(members[slot[entry.key.lowercased()] ?? 0]) }
            return .object(o)
        case "mapvalues":
            let f = try lambdaFunction(a[1], arity: 1, in: name)
            var o = ARMObject()
            for e in try object(source).entries { o[e.key] = try f([e.value]) }
            return .object(o)
        default:
            throw ARMEvalError("unknown function '\(name)'", code: "arm.unknown-function")
        }
    }

    // MARK: - Argument helpers

    func arity(_ name: String, _ args: [some Any], _ min: Int, _ max: Int?) throws {
        if args.count < min || args.count > (max ?? Int.max) {
            let expected = max.map { $0 == min ? "\(min)" : "\(min) to \($0)" } ?? "at least \(min)"
            throw ARMEvalError("'\(name)' takes \(expected) argument\(max == 1 ? "" : "s"), got \(args.count)", code: "arm.arity")
        }
    }

    func str(_ v: ARMValue) throws -> String {
        if case .string(let s) = v { return s }
        throw ARMEvalError("expected a string, got \(v.typeName) \(ARMText.compactJSON(v))", code: "arm.type")
    }

    func int(_ v: ARMValue) throws -> Int64 {
        switch v {
        case .int(let i): return i
        case .double(let d) where d == d.rounded(): return try Self.exactInt(d, in: "int")
        default: throw ARMEvalError("expected an int, got \(v.typeName) \(ARMText.compactJSON(v))", code: "arm.type")
        }
    }

    func bool(_ v: ARMValue) throws -> Bool {
        if case .bool(let b) = v { return b }
        throw ARMEvalError("expected a bool, got \(v.typeName) \(ARMText.compactJSON(v))", code: "arm.type")
    }

    func array(_ v: ARMValue) throws -> [ARMValue] {
        if case .array(let a) = v { return a }
        throw ARMEvalError("expected an array, got \(v.typeName) \(ARMText.compactJSON(v))", code: "arm.type")
    }

    func object(_ v: ARMValue) throws -> ARMObject {
        if case .object(let o) = v { return o }
        throw ARMEvalError("expected an object, got \(v.typeName) \(ARMText.compactJSON(v))", code: "arm.type")
    }

    private func compare(_ a: ARMValue, _ b: ARMValue) throws -> Int {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.string(let x), .string(let y)): return ExpressionEvaluator.cultureCompare(x, y)
        case (.double, _), (_, .double), (.int, _):
            let x = try double(a), y = try double(b)
            return x < y ? -1 : (x > y ? 1 : 0)
        default:
            throw ARMEvalError("cannot compare \(a.typeName) with \(b.typeName)", code: "arm.type")
        }
    }

    private func double(_ v: ARMValue) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw ARMEvalError("expected a number, got \(v.typeName)", code: "arm.type")
        }
    }

    // MARK: - Built-in functions

    private func builtin(_ name: String, _ rawName: String, _ a: [ARMValue]) throws -> ARMValue {
        let d = host.deployment
        switch name {
        // Deployment
        case "parameters":
            try arity(name, a, 1, 1)
            return try host.parameter(try str(a[0]))
        case "variables":
            try arity(name, a, 1, 1)
            return try host.variable(try str(a[0]))
        case "copyindex":
            try arity(name, a, 0, 2)
            var loop: String? = nil
            var offset: Int64 = 0
            for v in a {
                if case .string(let s) = v { loop = s } else { offset = try int(v) }
            }
            return .int(try Self.checked("copyIndex", try host.copyIndex(loop), offset, Int64.addingReportingOverflow))
        case "deployment":
            return host.deploymentObject()
        case "environment":
            return ARMBuiltins.environment
        case "deployer":
            return .object(ARMObject([("objectId", .unknown("deployer().objectId")), ("tenantId", .string(d.tenantID)),
                                      ("userPrincipalName", .unknown("deployer().userPrincipalName"))]))
        // Scope
        case "subscription":
            return .object(ARMObject([("id", .string(d.subscriptionResourceID)), ("subscriptionId", .string(d.subscriptionID)),
                                      ("tenantId", .string(d.tenantID)), ("displayName", .string(d.subscriptionName))]))
        case "resourcegroup":
            return .object(ARMObject([("id", .string(d.resourceGroupID)), ("name", .string(d.resourceGroup)),
                                      ("type", .string("Microsoft.Resources/resourceGroups")), ("location", .string(d.location)),
                                      ("tags", .object(ARMObject())),
                                      ("properties", .object(ARMObject([("provisioningState", .string("Succeeded"))])))]))
        case "tenant":
            return .object(ARMObject([("countryCode", .string("US")), ("displayName", .string("Palisade tenant")),
                                      ("id", .string("/tenants/\(d.tenantID)")), ("tenantId", .string(d.tenantID))]))
        case "managementgroup":
            return .unknown("managementGroup()")
        // Resource
        case "resourceid": return .string(try resourceID(a, scope: .resourceGroup))
        case "subscriptionresourceid": return .string(try resourceID(a, scope: .subscription))
        case "tenantresourceid": return .string(try resourceID(a, scope: .tenant))
        case "managementgroupresourceid":
            try arity(name, a, 2, nil)
            // The optional first argument names the management group; otherwise it is the deployment's, unknown offline.
            let firstIsGroup = a.count >= 3 && !(a[0].stringValue?.contains("/") ?? true) && (a[1].stringValue?.contains("/") ?? false)
            guard firstIsGroup, let group = a[0].stringValue else { return .unknown("managementGroupResourceId() of the deployment's management group") }
            return .string("/providers/Microsoft.Management/managementGroups/\(group)" + (try resourceID(Array(a.dropFirst()), scope: .tenant)))
        case "extensionresourceid":
            try arity(name, a, 3, nil)
            let scope = try str(a[0])
            let rest = try resourceID(Array(a.dropFirst()), scope: .tenant)
            return .string(scope + rest)
        case "reference":
            try arity(name, a, 1, 3)
            let full = a.count == 3 && (try? str(a[2]).lowercased()) == "full"
            return try host.reference(a[0], full: full)
        case "references":
            return .unknown("references()")
        case "pickzones":
            try arity(name, a, 3, 5)
            return .unknown("pickZones(): availability zones depend on Azure region data")
        case "providers":
            return .unknown("providers()")
        // Array & object
        case "array":
            try arity(name, a, 1, 1)
            if case .array = a[0] { return a[0] }
            return .array([a[0]])
        case "createarray":
            return .array(a)
        case "createobject":
            guard a.count % 2 == 0 else { throw ARMEvalError("createObject needs key/value pairs (an even number of arguments)", code: "arm.arity") }
            var o = ARMObject()
            for i in stride(from: 0, to: a.count, by: 2) { o[try str(a[i])] = a[i + 1] }
            return .object(o)
        case "concat":
            if a.isEmpty { return .string("") }
            if case .array = a[0] {
                try checkCombinedCount(rawName, a)
                return .array(try a.flatMap { v -> [ARMValue] in
                    if case .array(let x) = v { return x }
                    if case .unknown = v { return [v] }
                    throw ARMEvalError("concat() mixes arrays with \(v.typeName)", code: "arm.type")
                })
            }
            if case .object = a[0] {
                var o = ARMObject()
                for v in a { for e in try object(v).entries { o[e.key] = e.value } }
                return .object(o)
            }
            if let u = a.first(where: { $0.isUnknown }) { return u }
            let parts = a.map { ARMText.string($0) }
            guard parts.reduce(0, { $0 + $1.utf8.count }) <= host.limits.maxValueBytes else { throw Self.tooLarge(rawName, host.limits.maxValueBytes) }
            return .string(parts.joined())
        case "contains":
            try arity(name, a, 2, 2)
            switch a[0] {
            case .string(let s): return .bool(s.contains(ARMText.string(a[1])))
            case .array(let arr): return .bool(arr.contains { equal($0, a[1]) })
            case .object(let o): return .bool(o.contains(try str(a[1])))
            default: throw ARMEvalError("contains() needs a string, array or object, got \(a[0].typeName)", code: "arm.type")
            }
        case "empty":
            try arity(name, a, 1, 1)
            switch a[0] {
            case .null: return .bool(true)
            case .string(let s): return .bool(s.isEmpty)
            case .array(let x): return .bool(x.isEmpty)
            case .object(let o): return .bool(o.isEmpty)
            default: return .bool(false)
            }
        case "first", "last":
            try arity(name, a, 1, 1)
            switch a[0] {
            case .string(let s):
                guard let c = name == "first" ? s.first : s.last else { return .string("") }
                return .string(String(c))
            case .array(let x): return (name == "first" ? x.first : x.last) ?? .null
            default: throw ARMEvalError("\(rawName)() needs a string or array", code: "arm.type")
            }
        case "indexof", "lastindexof":
            try arity(name, a, 2, 2)
            if case .array(let x) = a[0] {
                let idx = name == "indexof" ? x.firstIndex { equal($0, a[1]) } : x.lastIndex { equal($0, a[1]) }
                return .int(Int64(idx ?? -1))
            }
            let s = try str(a[0]).lowercased(), t = try str(a[1]).lowercased()
            if t.isEmpty { return .int(name == "indexof" ? 0 : Int64(max(0, s.count - 1))) }
            let r = name == "indexof" ? s.range(of: t) : s.range(of: t, options: .backwards)
            guard let r else { return .int(-1) }
            return .int(Int64(s.distance(from: s.startIndex, to: r.lowerBound)))
        case "indexfromend", "tryindexfromend":
            try arity(name, a, 2, 2)
            let x = try array(a[0]), n = try int(a[1])
            guard n >= 1, n <= x.count else {
                if name == "tryindexfromend" { return .null }
                throw ARMEvalError("index \(n) from the end is out of range for an array of \(x.count)", code: "arm.index")
            }
            return x[x.count - Int(n)]
        case "tryget":
            try arity(name, a, 2, nil)
            var cur = a[0]
            for k in a.dropFirst() {
                switch (cur, k) {
                case (.object(let o), .string(let s)): cur = o[s] ?? .null
                case (.array(let x), .int(let i)): cur = i >= 0 && i < x.count ? x[Int(i)] : .null
                default: return .null
                }
                if cur == .null { return .null }
            }
            return cur
        case "intersection":
            try arity(name, a, 2, nil)
            if case .array(let first) = a[0] {
                let rest = try a.dropFirst().map { ValueSet(try array($0), equal) }
                try host.spend(first.count + rest.reduce(0) { $0 + $1.count })
                var out = ValueSet([], equal)
                for e in first where rest.allSatisfy({ $0.contains(e) }) && !out.contains(e) { out.insert(e) }
                return .array(out.elements)
            }
            let first = try object(a[0])
            let rest = try a.dropFirst().map { try object($0) }
            var o = ARMObject()
            for e in first.entries where rest.allSatisfy({ $0[e.key].map { equal($0, e.value) } ?? false }) { o[e.key] = e.value }
            return .object(o)
        case "union":
            try arity(name, a, 1, nil)
            if case .array = a[0] {
                try checkCombinedCount(rawName, a)
                // Hashed by a coarse key, compared with ARM equality inside a bucket: linear, not quadratic.
                var out = ValueSet([], equal)
                for v in a { for e in try array(v) where !out.contains(e) { out.insert(e) } }
                return .array(out.elements)
            }
            try checkCombinedCount(rawName, a)
            var o = ARMObject()
            for v in a { o = deepMerge(o, try object(v)) }
            return .object(o)
        case "shallowmerge":
            try arity(name, a, 1, 1)
            var o = ARMObject()
            for v in try array(a[0]) { for e in try object(v).entries { o[e.key] = e.value } }
            return .object(o)
        case "items":
            try arity(name, a, 1, 1)
            let o = try object(a[0])
            let sorted = o.entries.sorted { $0.key.lowercased() == $1.key.lowercased() ? $0.key < $1.key : $0.key.lowercased() < $1.key.lowercased() }
            return .array(sorted.map { .object(ARMObject([("key", .string($0.key)), ("value", $0.value)])) })
        case "objectkeys":
            try arity(name, a, 1, 1)
            return .array(try object(a[0]).keys.map { .string($0) })
        case "length":
            try arity(name, a, 1, 1)
            switch a[0] {
            case .string(let s): return .int(Int64(s.utf16.count))
            case .array(let x): return .int(Int64(x.count))
            case .object(let o): return .int(Int64(o.count))
            default: throw ARMEvalError("length() needs a string, array or object, got \(a[0].typeName)", code: "arm.type")
            }
        case "flatten":
            try arity(name, a, 1, 1)
            return .array(try array(a[0]).flatMap { try array($0) })
        case "range":
            try arity(name, a, 2, 2)
            let start = try int(a[0]), count = try int(a[1])
            // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array#range :
            // count is 0…10000 and startIndex + count must be no greater than 2147483647.
            guard count >= 0, count <= 10_000 else {
                throw ARMEvalError("range() count \(count) must be between 0 and 10000", code: "arm.range")
            }
            guard start >= Int64(Int32.min), start <= Int64(Int32.max) - count else {
                throw ARMEvalError("range(): startIndex \(start) plus count \(count) must be between \(Int32.min) and \(Int32.max)", code: "arm.range")
            }
            return .array((0..<count).map { .int(start + $0) })
        case "skip", "take":
            try arity(name, a, 2, 2)
            let n = max(0, Int(clamping: try int(a[1])))
            switch a[0] {
            case .array(let x): return .array(name == "skip" ? Array(x.dropFirst(n)) : Array(x.prefix(n)))
            case .string(let s): return .string(name == "skip" ? String(s.dropFirst(n)) : String(s.prefix(n)))
            default: throw ARMEvalError("\(rawName)() needs an array or string", code: "arm.type")
            }
        case "max", "min":
            try arity(name, a, 1, nil)
            let values = a.count == 1 && a[0].arrayValue != nil ? a[0].arrayValue! : a
            guard var best = values.first else { throw ARMEvalError("\(rawName)() of an empty array", code: "arm.range") }
            for v in values.dropFirst() {
                let c = try compare(v, best)
                if (name == "max" && c > 0) || (name == "min" && c < 0) { best = v }
            }
            return best
        // Comparison
        case "equals":
            try arity(name, a, 2, 2)
            return .bool(equal(a[0], a[1]))
        case "greater": try arity(name, a, 2, 2); return .bool(try compare(a[0], a[1]) > 0)
        case "greaterorequals": try arity(name, a, 2, 2); return .bool(try compare(a[0], a[1]) >= 0)
        case "less": try arity(name, a, 2, 2); return .bool(try compare(a[0], a[1]) < 0)
        case "lessorequals": try arity(name, a, 2, 2); return .bool(try compare(a[0], a[1]) <= 0)
        // Logical
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "not":
            try arity(name, a, 1, 1)
            return .bool(!(try bool(a[0])))
        case "bool":
            try arity(name, a, 1, 1)
            switch a[0] {
            case .bool: return a[0]
            case .int(let i): return .bool(i != 0)
            case .string(let s):
                if s.lowercased() == "true" { return .bool(true) }
                if s.lowercased() == "false" { return .bool(false) }
                throw ARMEvalError("bool('\(s)'): the string must be 'true' or 'false'", code: "arm.convert")
            default: throw ARMEvalError("bool() cannot convert \(a[0].typeName)", code: "arm.convert")
            }
        // Numeric
        case "add", "sub", "mul", "div", "mod":
            try arity(name, a, 2, 2)
            let x = try int(a[0]), y = try int(a[1])
            switch name {
            case "add": return .int(try Self.checked(rawName, x, y, Int64.addingReportingOverflow))
            case "sub": return .int(try Self.checked(rawName, x, y, Int64.subtractingReportingOverflow))
            case "mul": return .int(try Self.checked(rawName, x, y, Int64.multipliedReportingOverflow))
            default:
                guard y != 0 else { throw ARMEvalError("\(rawName)() by zero", code: "arm.divide-by-zero") }
                // Int64.min / -1 overflows (.NET throws OverflowException for both division and remainder).
                return .int(try Self.checked(rawName, x, y, name == "div" ? Int64.dividedReportingOverflow : Int64.remainderReportingOverflow))
            }
        case "int":
            try arity(name, a, 1, 1)
            switch a[0] {
            case .int: return a[0]
            case .double(let v): return .int(try Self.exactInt(v, in: rawName))
            case .string(let s):
                guard let i = Int64(s.trimmingCharacters(in: .whitespaces)) else { throw ARMEvalError("int('\(s)'): not an integer", code: "arm.convert") }
                return .int(i)
            default: throw ARMEvalError("int() cannot convert \(a[0].typeName)", code: "arm.convert")
            }
        case "float":
            try arity(name, a, 1, 1)
            switch a[0] {
            case .int(let i): return .double(Double(i))
            case .double: return a[0]
            case .string(let s):
                guard let v = Double(s), v.isFinite else { throw ARMEvalError("float('\(s)'): not a finite number", code: "arm.convert") }
                return .double(v)
            default: throw ARMEvalError("float() cannot convert \(a[0].typeName)", code: "arm.convert")
            }
        // String
        case "string":
            try arity(name, a, 1, 1)
            if case .unknown = a[0] { return a[0] }
            return .string(ARMText.string(a[0]))
        case "json":
            try arity(name, a, 1, 1)
            if a[0].isUnknown { return a[0] }
            let text = try str(a[0])
            var parser = JSONParser(maxDepth: 128)
            parser.allowSingleQuotes = true
            do { return try parser.parse(text).value } catch {
                throw ARMEvalError("json(): the text is not valid JSON (\(error))", code: "arm.json")
            }
        case "base64":
            return .string(Data(try str(a.first ?? .null).utf8).base64EncodedString())
        case "base64tostring", "base64tojson":
            try arity(name, a, 1, 1)
            guard let data = Data(base64Encoded: try str(a[0])) else { throw ARMEvalError("\(rawName)(): not valid base64", code: "arm.convert") }
            let text = String(decoding: data, as: UTF8.self)
            if name == "base64tostring" { return .string(text) }
            var parser = JSONParser(maxDepth: 128)
            parser.allowSingleQuotes = true
            do { return try parser.parse(text).value } catch { throw ARMEvalError("base64ToJson(): decoded text is not JSON (\(error))", code: "arm.json") }
        case "datauri":
            try arity(name, a, 1, 1)
            return .string("data:text/plain;charset=utf8;base64," + Data(try str(a[0]).utf8).base64EncodedString())
        case "datauritostring":
            try arity(name, a, 1, 1)
            let s = try str(a[0])
            guard let comma = s.firstIndex(of: ",") else { throw ARMEvalError("dataUriToString(): not a data URI", code: "arm.convert") }
            let header = s[..<comma], payload = String(s[s.index(after: comma)...])
            if header.hasSuffix(";base64") {
                guard let data = Data(base64Encoded: payload) else { throw ARMEvalError("dataUriToString(): bad base64", code: "arm.convert") }
                return .string(String(decoding: data, as: UTF8.self))
            }
            return .string(payload.removingPercentEncoding ?? payload)
        case "endswith", "startswith":
            try arity(name, a, 2, 2)
            let s = try str(a[0]).lowercased(), t = try str(a[1]).lowercased()
            return .bool(name == "endswith" ? s.hasSuffix(t) : s.hasPrefix(t))
        case "format":
            try arity(name, a, 1, nil)
            if let u = a.first(where: { $0.isUnknown }) { return u }
            return .string(try ARMText.composite(try str(a[0]), Array(a.dropFirst()), maxBytes: host.limits.maxValueBytes))
        case "guid":
            try arity(name, a, 1, nil)
            return .string(ARMHash.guid(try a.map { try str($0) }))
        case "uniquestring":
            try arity(name, a, 1, nil)
            return .string(ARMHash.uniqueString(try a.map { try str($0) }))
        case "newguid":
            return .string(host.nextNewGuid())
        case "join":
            try arity(name, a, 2, 2)
            let items = try array(a[0]).map { ARMText.string($0) }, separator = try str(a[1])
            let joined = items.reduce(0) { $0 + $1.utf8.count } + separator.utf8.count * max(0, items.count - 1)
            guard joined <= host.limits.maxValueBytes else { throw Self.tooLarge(rawName, host.limits.maxValueBytes) }
            return .string(items.joined(separator: separator))
        case "padleft":
            try arity(name, a, 2, 3)
            let s = ARMText.string(a[0])
            let total = try int(a[1])
            let pad = a.count > 2 ? try str(a[2]) : " "
            guard pad.count == 1 else { throw ARMEvalError("padLeft() padding must be one character", code: "arm.convert") }
            // .NET's PadLeft rejects a negative total length; a longer string than a template may hold cannot deploy.
            guard total >= 0 else { throw ARMEvalError("padLeft(): the total length \(total) is negative", code: "arm.range") }
            guard total <= host.limits.maxValueBytes else { throw Self.tooLarge(rawName, host.limits.maxValueBytes) }
            return .string(String(repeating: pad, count: max(0, Int(total) - s.count)) + s)
        case "replace":
            try arity(name, a, 3, 3)
            let old = try str(a[1])
            if old.isEmpty { return a[0] }
            let text = try str(a[0]), new = try str(a[2])
            if new.utf8.count > old.utf8.count {
                // Bound the result before building it: every occurrence grows the text.
                let occurrences = text.components(separatedBy: old).count - 1
                let grown = text.utf8.count + occurrences * (new.utf8.count - old.utf8.count)
                guard grown <= host.limits.maxValueBytes else { throw Self.tooLarge(rawName, host.limits.maxValueBytes) }
            }
            return .string(text.replacingOccurrences(of: old, with: new))
        case "split":
            try arity(name, a, 2, 2)
            let s = try str(a[0])
            let delimiters: [String]
            if let list = a[1].arrayValue { delimiters = try list.map { try str($0) } } else { delimiters = [try str(a[1])] }
            try host.spend(s.utf8.count / 64 * delimiters.count)
            var parts = [s]
            for delimiter in delimiters where !delimiter.isEmpty {
                parts = parts.flatMap { $0.components(separatedBy: delimiter) }
            }
            return .array(parts.map { .string($0) })
        case "substring":
            try arity(name, a, 1, 3)
            let s = Array(try str(a[0]).utf16)
            let start = a.count > 1 ? try int(a[1]) : 0
            let length = a.count > 2 ? try int(a[2]) : Int64(s.count) &- start
            guard start >= 0, length >= 0, start <= s.count, length <= Int64(s.count) - start else {
                throw ARMEvalError("substring(): start \(start) and length \(length) are outside a string of length \(s.count)", code: "arm.range")
            }
            return .string(String(decoding: s[Int(start)..<Int(start + length)], as: UTF16.self))
        case "tolower": try arity(name, a, 1, 1); return .string(try str(a[0]).lowercased())
        case "toupper": try arity(name, a, 1, 1); return .string(try str(a[0]).uppercased())
        case "trim": try arity(name, a, 1, 1); return .string(try str(a[0]).trimmingCharacters(in: .whitespacesAndNewlines))
        case "uri":
            try arity(name, a, 2, 2)
            return .string(ARMBuiltins.uri(try str(a[0]), try str(a[1])))
        case "uricomponent":
            try arity(name, a, 1, 1)
            var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
            allowed.insert(charactersIn: "-_.~")
            return .string(try str(a[0]).addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        case "uricomponenttostring":
            try arity(name, a, 1, 1)
            return .string(try str(a[0]).removingPercentEncoding ?? (try str(a[0])))
        // Date
        case "utcnow":
            try arity(name, a, 0, 1)
            guard let now = ARMDateTime.parse(d.utcNow) else { throw ARMEvalError("the utcNow option '\(d.utcNow)' is not an ISO 8601 time", code: "arm.date") }
            return .string(now.format(a.isEmpty ? "yyyyMMddTHHmmssZ" : try str(a[0])))
        case "datetimeadd":
            try arity(name, a, 2, 3)
            guard let base = ARMDateTime.parse(try str(a[0])) else {
                throw ARMEvalError("dateTimeAdd(): '\(try str(a[0]))' is not an ISO 8601 date-time", code: "arm.date")
            }
            let result = try base.adding(duration: try str(a[1]))
            return .string(result.format(a.count > 2 ? try str(a[2]) : nil))
        case "datetimefromepoch":
            try arity(name, a, 1, 1)
            let seconds = try int(a[0])
            guard ARMDateTime.representable.contains(seconds) else {
                throw ARMEvalError("dateTimeFromEpoch(\(seconds)) is outside the years 0001 to 9999 a date-time can hold", code: "arm.date")
            }
            return .string(ARMDateTime(seconds: seconds).format("yyyy-MM-ddTHH:mm:ssZ"))
        case "datetimetoepoch":
            try arity(name, a, 1, 1)
            guard let t = ARMDateTime.parse(try str(a[0])) else { throw ARMEvalError("dateTimeToEpoch(): '\(try str(a[0]))' is not an ISO 8601 date-time", code: "arm.date") }
            return .int(t.seconds)
        // CIDR
        case "parsecidr":
            try arity(name, a, 1, 1)
            let text = try str(a[0])
            guard let n = CIDR.parse(text) else { throw ARMEvalError("parseCidr(): '\(text)' is not a CIDR range", code: "arm.cidr") }
            return .object(ARMBuiltins.parseCidr(n))
        case "cidrsubnet":
            try arity(name, a, 3, 3)
            let text = try str(a[0])
            guard let n = CIDR.parse(text) else { throw ARMEvalError("cidrSubnet(): '\(text)' is not a CIDR range", code: "arm.cidr") }
            let newPrefix = Int(try int(a[1])), index = try int(a[2])
            guard newPrefix >= n.prefix, newPrefix <= n.bits, index >= 0,
                  newPrefix - n.prefix >= 63 || index < (Int64(1) << Int64(newPrefix - n.prefix)) else {
                throw ARMEvalError("cidrSubnet(): subnet /\(newPrefix) number \(index) does not fit in \(text)", code: "arm.cidr")
            }
            let (h, l) = CIDR.add(n, CIDR.shifted(UInt64(index), n.bits - newPrefix))
            return .string(CIDR.text(h, l, v6: n.isV6) + "/\(newPrefix)")
        case "cidrhost":
            try arity(name, a, 2, 2)
            let text = try str(a[0])
            guard let n = CIDR.parse(text) else { throw ARMEvalError("cidrHost(): '\(text)' is not a CIDR range", code: "arm.cidr") }
            let index = try int(a[1])
            let hostBits = n.bits - n.prefix
            let usable: Int64 = n.isV6 ? (hostBits >= 63 ? .max : (Int64(1) << Int64(hostBits)) - 1) : max(0, (Int64(1) << Int64(hostBits)) - 2)
            guard index >= 0, index < usable || (n.prefix >= 31 && index < (Int64(1) << Int64(hostBits))) else {
                throw ARMEvalError("cidrHost(): host \(index) does not fit in \(text)", code: "arm.cidr")
            }
            let offset = n.prefix >= 31 && !n.isV6 ? index : index + 1
            let (h, l) = CIDR.add(n, (0, UInt64(offset)))
            return .string(CIDR.text(h, l, v6: n.isV6))
        default:
            throw ARMEvalError("unknown function '\(rawName)'", code: "arm.unknown-function",
                               fix: "check the spelling against Microsoft's template function reference")
        }
    }

    /// .NET invariant-culture order: case-insensitive first, then lower case before upper case.
    static func cultureCompare(_ x: String, _ y: String) -> Int {
        let lx = x.lowercased(), ly = y.lowercased()
        if lx != ly { return lx < ly ? -1 : 1 }
        for (a, b) in zip(x, y) where a != b { return a.isLowercase ? -1 : 1 }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    func equal(_ a: ARMValue, _ b: ARMValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.entries.allSatisfy { e in y[e.key].map { equal(e.value, $0) } ?? false }
        default: return a == b
        }
    }

    /// Rejects combining arrays or objects whose element counts add up past the size bound, before copying them.
    private func checkCombinedCount(_ function: String, _ values: [ARMValue]) throws {
        let total = values.reduce(0) { $0 + ($1.arrayValue?.count ?? $1.objectValue?.count ?? 0) }
        guard total <= host.limits.maxValueBytes / 2 else { throw Self.tooLarge(function, host.limits.maxValueBytes) }
        try host.spend(total / 16)
    }

    private func deepMerge(_ base: ARMObject, _ other: ARMObject) -> ARMObject {
        var out = base
        for e in other.entries {
            if case .object(let old)? = out[e.key], case .object(let new) = e.value {
                out[e.key] = .object(deepMerge(old, new))
            } else {
                out[e.key] = e.value
            }
        }
        return out
    }

    enum IDScope { case resourceGroup, subscription, tenant }

    /// `resourceId([subscriptionId], [resourceGroupName], type, name1, name2, …)` and its scope variants.
    func resourceID(_ a: [ARMValue], scope: IDScope) throws -> String {
        let parts = try a.map { v -> String in
            if case .unknown(let why) = v { return "{\(why)}" }
            return try str(v)
        }
        guard let typeIndex = parts.firstIndex(where: { $0.contains("/") && !$0.hasPrefix("/") }) ?? (parts.count >= 2 ? parts.indices.first(where: { parts[$0].contains(".") && parts[$0].contains("/") }) : nil) else {
            throw ARMEvalError("resourceId() needs a resource type such as 'Microsoft.Network/virtualNetworks'", code: "arm.resource-id")
        }
        let type = parts[typeIndex]
        let names = parts[(typeIndex + 1)...].flatMap { $0.split(separator: "/").map(String.init) }
        let typeSegments = type.split(separator: "/").map(String.init)
        guard typeSegments.count >= 2, names.count == typeSegments.count - 1 else {
            throw ARMEvalError("resourceId(): type '\(type)' needs \(max(1, typeSegments.count - 1)) name segment(s), got \(names.count)", code: "arm.resource-id")
        }
        var path = "/providers/\(typeSegments[0])"
        for (t, n) in zip(typeSegments.dropFirst(), names) { path += "/\(t)/\(n)" }
        let prefix = parts[..<typeIndex]
        let d = host.deployment
        switch scope {
        case .tenant:
            return path
        case .subscription:
            let sub = prefix.first ?? d.subscriptionID
            return "/subscriptions/\(sub)" + path
        case .resourceGroup:
            var sub = d.subscriptionID, rg = d.resourceGroup
            if prefix.count == 1 { rg = prefix[0] }
            if prefix.count >= 2 { sub = prefix[prefix.startIndex]; rg = prefix[prefix.startIndex + 1] }
            if let scope = prefix.first, scope.hasPrefix("/") { return scope + path }
            return "/subscriptions/\(sub)/resourceGroups/\(rg)" + path
        }
    }
}

/// Distinct values under ARM equality (1 equals 1.0; objects ignore member order), found through hash buckets
/// keyed on what equal values share, so `union` and `intersection` of large arrays stay linear.
struct ValueSet {
    enum Key: Hashable {
        case number(Double), string(String), bool(Bool), null, container(String, Int), other(String)
    }

    private(set) var elements: [ARMValue] = []
    private var buckets: [Key: [Int]] = [:]
    private let equal: (ARMValue, ARMValue) -> Bool

    init(_ values: [ARMValue], _ equal: @escaping (ARMValue, ARMValue) -> Bool) {
        self.equal = equal
        for v in values { insert(v) }
    }

    var count: Int { elements.count }

    static func key(_ v: ARMValue) -> Key {
        switch v {
        case .int(let i): .number(Double(i))
        case .double(let d): .number(d)
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        case .null: .null
        case .array(let a): .container("array", a.count)
        case .object(let o): .container("object", o.count)
        default: .other(v.typeName)
        }
    }

    func contains(_ v: ARMValue) -> Bool {
        (buckets[Self.key(v)] ?? []).contains { equal(elements[$0], v) }
    }

    mutating func insert(_ v: ARMValue) {
        buckets[Self.key(v), default: []].append(elements.count)
        elements.append(v)
    }
}

/// Constant data and helpers for built-in functions.
enum ARMBuiltins {
    /// `environment()` for AzureCloud.
    static let environment: ARMValue = .object(ARMObject([
        ("name", .string("AzureCloud")),
        ("gallery", .string("https://gallery.azure.com/")),
        ("graph", .string("https://graph.windows.net/")),
        ("portal", .string("https://portal.azure.com")),
        ("graphAudience", .string("https://graph.windows.net/")),
        ("activeDirectoryDataLake", .string("https://datalake.azure.net/")),
        ("batch", .string("https://batch.core.windows.net/")),
        ("media", .string("https://rest.media.azure.net")),
        ("sqlManagement", .string("https://management.core.windows.net:8443/")),
        ("vmImageAliasDoc", .string("https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json")),
        ("resourceManager", .string("https://management.azure.com/")),
        ("authentication", .object(ARMObject([
            ("loginEndpoint", .string("https://login.microsoftonline.com/")),
            ("audiences", .array([.string("https://management.core.windows.net/"), .string("https://management.azure.com/")])),
            ("tenant", .string("common")), ("identityProvider", .string("AAD")),
        ]))),
        ("suffixes", .object(ARMObject([
            ("acrLoginServer", .string(".azurecr.io")),
            ("azureDatalakeAnalyticsCatalogAndJob", .string("azuredatalakeanalytics.net")),
            ("azureDatalakeStoreFileSystem", .string("azuredatalakestore.net")),
            ("azureFrontDoorEndpointSuffix", .string("azurefd.net")),
            ("keyvaultDns", .string(".vault.azure.net")),
            ("sqlServerHostname", .string(".database.windows.net")),
            ("storage", .string("core.windows.net")),
        ]))),
    ]))

    static func uri(_ base: String, _ relative: String) -> String {
        if relative.contains("://") { return relative }
        guard let schemeEnd = base.range(of: "://") else { return base + relative }
        let afterScheme = base[schemeEnd.upperBound...]
        let hostEnd = afterScheme.firstIndex(of: "/") ?? base.endIndex
        let root = String(base[..<hostEnd])
        if relative.hasPrefix("/") { return root + relative }
        guard let lastSlash = base.lastIndex(of: "/"), lastSlash >= hostEnd else { return root + "/" + relative }
        return String(base[...lastSlash]) + relative
    }

    static func parseCidr(_ n: CIDR.Network) -> ARMObject {
        let (mh, ml) = CIDR.mask(n.prefix, bits: n.bits)
        let lastHigh = n.high | (~mh), lastLow = n.isV6 ? n.low | (~ml) : (n.low | (~ml & 0xFFFF_FFFF))
        var o = ARMObject()
        o["network"] = .string(CIDR.text(n.high, n.low, v6: n.isV6))
        o["netmask"] = .string(CIDR.text(mh, ml, v6: n.isV6))
        if !n.isV6 {
            o["broadcast"] = .string(CIDR.text(0, lastLow, v6: false))
            let small = n.prefix >= 31
            o["firstUsable"] = .string(CIDR.text(0, small ? n.low : n.low + 1, v6: false))
            o["lastUsable"] = .string(CIDR.text(0, small ? lastLow : lastLow - 1, v6: false))
        } else {
            o["firstUsable"] = .string(CIDR.text(n.high, n.low, v6: true))
            o["lastUsable"] = .string(CIDR.text(lastHigh, lastLow, v6: true))
        }
        o["cidr"] = .int(Int64(n.prefix))
        return o
    }
}
