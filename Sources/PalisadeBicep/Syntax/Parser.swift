/// A recursive-descent parser for Bicep (https://learn.microsoft.com/azure/azure-resource-manager/bicep/file) with a
/// bounded nesting depth, so hostile input gives an error instead of exhausting the stack.
struct Parser {
    private var tokens: [Token]
    private var pos = 0
    private var depth = 0
    /// Deepest nesting of expressions accepted.
    let maxDepth: Int

    init(tokens: [Token], maxDepth: Int = 128) {
        self.tokens = tokens
        self.maxDepth = maxDepth
    }

    /// Parses a whole file.
    static func parse(_ text: String, path: String, lineBase: Int = 0) throws(BicepError) -> BicepFile {
        var lexer = Lexer(text, lineBase: lineBase)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens)
        return BicepFile(path: path, statements: try parser.file())
    }

    // MARK: Token helpers

    private var current: Token { tokens[min(pos, tokens.count - 1)] }
    private func peek(_ offset: Int = 1) -> Token { tokens[min(pos + offset, tokens.count - 1)] }

    private func isSymbol(_ s: String) -> Bool { current.symbol == s }
    private func isKeyword(_ s: String) -> Bool { current.identifier == s }

    private mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }

    private func error(_ message: String, _ at: BicepPosition? = nil) -> BicepError {
        BicepError(message: message, position: at ?? current.position)
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .identifier(let s): "'\(s)'"
        case .integer(let i): "\(i)"
        case .string, .interpolated: "a string"
        case .symbol(let s): "'\(s)'"
        case .newline: "a line break"
        case .end: "the end of the file"
        }
    }

    private mutating func expect(_ s: String, _ context: String) throws(BicepError) {
        guard isSymbol(s) else { throw error("expected '\(s)' \(context), found \(describe(current))") }
        advance()
    }

    private mutating func identifier(_ context: String) throws(BicepError) -> String {
        guard let s = current.identifier else { throw error("expected \(context), found \(describe(current))") }
        advance()
        return s
    }

    private mutating func skipNewlines() { while current.kind == .newline { advance() } }

    private mutating func stringLiteral(_ context: String) throws(BicepError) -> String {
        switch current.kind {
        case .string(let s): advance(); return s
        case .interpolated: throw error("\(context) must be a plain string without ${…}")
        default: throw error("expected \(context) (a quoted string), found \(describe(current))")
        }
    }

    private mutating func enter() throws(BicepError) {
        depth += 1
        if depth > maxDepth { throw error("the expression is nested more than \(maxDepth) levels deep") }
    }

    private mutating func endOfStatement() throws(BicepError) {
        guard current.kind == .newline || current.kind == .end else {
            throw error("expected a line break after the statement, found \(describe(current))")
        }
        skipNewlines()
    }

    // MARK: Statements

    mutating func file() throws(BicepError) -> [Statement] {
        var out: [Statement] = []
        skipNewlines()
        while current.kind != .end {
            out.append(try statement())
            try endOfStatement()
        }
        return out
    }

    private mutating func decorators() throws(BicepError) -> [Decorator] {
        var out: [Decorator] = []
        while isSymbol("@") {
            let at = current.position
            advance()
            var name = try identifier("a decorator name")
            if isSymbol("."), name == "sys" || name == "az" { advance(); name = try identifier("a decorator name") }
            var args: [Expr] = []
            if isSymbol("(") { args = try arguments() }
            out.append(Decorator(name: name, arguments: args, position: at))
            skipNewlines()
        }
        return out
    }

    private mutating func statement() throws(BicepError) -> Statement {
        let decs = try decorators()
        let start = current.position
        guard let keyword = current.identifier else { throw error("expected a declaration (param, var, resource, module, output, …), found \(describe(current))") }
        switch keyword {
        case "targetScope":
            advance()
            try expect("=", "after targetScope")
            return .targetScope(try expression(), start)
        case "metadata":
            advance()
            let name = try identifier("a metadata name")
            try expect("=", "after the metadata name")
            return .metadata(name, try expression(), start)
        case "param":
            advance()
            let name = try identifier("a parameter name")
            var type: TypeExpr?
            if !isSymbol("=") { type = try typeExpression() }
            var def: Expr?
            if isSymbol("=") { advance(); def = try expression() }
            return .parameter(name: name, type: type, defaultValue: def, decorators: decs, position: start)
        case "var":
            advance()
            let name = try identifier("a variable name")
            if !isSymbol("=") { _ = try typeExpression() }
            try expect("=", "after the variable name")
            return .variable(name: name, value: try expression(), decorators: decs, position: start)
        case "resource":
            return try resource(decs)
        case "module":
            advance()
            let name = try identifier("a module name")
            let path = try stringLiteral("the module path")
            try expect("=", "after the module path")
            return .module(name: name, path: path, body: try declarationBody(), decorators: decs, position: start)
        case "output":
            advance()
            let name = try identifier("an output name")
            let type: TypeExpr
            if isKeyword("resource") {
                advance()
                type = .resourceDerived(try stringLiteral("the resource type"), [])
            } else {
                type = try typeExpression()
            }
            try expect("=", "after the output type")
            return .output(name: name, type: type, value: try expression(), decorators: decs, position: start)
        case "type":
            advance()
            let name = try identifier("a type name")
            try expect("=", "after the type name")
            return .typeAlias(name: name, type: try typeExpression(), decorators: decs, position: start)
        case "func":
            advance()
            let name = try identifier("a function name")
            try expect("(", "after the function name")
            var params: [(String, TypeExpr)] = []
            skipNewlines()
            while !isSymbol(")") {
                let p = try identifier("a function parameter name")
                params.append((p, try typeExpression()))
                skipNewlines()
                if isSymbol(",") { advance(); skipNewlines() } else { break }
            }
            try expect(")", "to close the function parameters")
            let result = try typeExpression()
            try expect("=>", "before the function body")
            skipNewlines()
            return .function(name: name, parameters: params, result: result, body: try expression(), decorators: decs, position: start)
        case "import":
            advance()
            if case .string(let s) = current.kind { advance(); return .ignored("import '\(s)'", start) }
            var names: [(String, String)] = []
            var wildcard: String?
            if isSymbol("*") {
                advance()
                guard isKeyword("as") else { throw error("expected 'as' after 'import *'") }
                advance()
                wildcard = try identifier("a namespace name")
            } else {
                try expect("{", "after 'import'")
                skipNewlines()
                while !isSymbol("}") {
                    let n = try identifier("an imported name")
                    var alias = n
                    if isKeyword("as") { advance(); alias = try identifier("an alias") }
                    names.append((n, alias))
                    skipNewlines()
                    if isSymbol(",") { advance(); skipNewlines() }
                }
                advance()
            }
            guard isKeyword("from") else { throw error("expected 'from' and the file to import from") }
            advance()
            let path = try stringLiteral("the import path")
            return .importSymbols(names: names, wildcard: wildcard, path: path, position: start)
        case "using":
            advance()
            if isKeyword("none") { advance(); return .using("", start) }
            return .using(try stringLiteral("the template path"), start)
        case "assert":
            // https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-config#enable-experimental-features
            advance()
            let name = try identifier("an assertion name")
            try expect("=", "after the assertion name")
            return .assertion(name: name, condition: try expression(), position: start)
        case "extension", "provider":
            // `extension microsoftGraphV1`, `extension 'br:…' with {…} as k8s`: recorded by name, the rest skipped.
            advance()
            var named = keyword
            if let id = current.identifier { named = id } else if case .string(let s) = current.kind { named = s }
            var nesting = 0
            while current.kind != .end {
                if current.kind == .newline && nesting == 0 { break }
                if let s = current.symbol { if "([{".contains(s) { nesting += 1 } else if ")]}".contains(s) { nesting -= 1 } }
                advance()
            }
            return .extensionDeclaration(named, start)
        case "extends":
            // Skip to the end of the line (plus any bracketed continuation).
            var nesting = 0
            while current.kind != .end {
                if current.kind == .newline && nesting == 0 { break }
                if let s = current.symbol { if "([{".contains(s) { nesting += 1 } else if ")]}".contains(s) { nesting -= 1 } }
                advance()
            }
            return .ignored(keyword, start)
        default:
            throw error("unknown declaration '\(keyword)'; expected param, var, resource, module, output, type, func, import or metadata")
        }
    }

    private mutating func resource(_ decs: [Decorator]) throws(BicepError) -> Statement {
        let start = current.position
        advance()
        let name = try identifier("a resource name")
        let typeText = try stringLiteral("the resource type ('Namespace/type@version')")
        var existing = false
        if isKeyword("existing") { advance(); existing = true }
        try expect("=", "after the resource type")
        return .resource(name: name, typeText: typeText, existing: existing, body: try declarationBody(), decorators: decs, position: start)
    }

    /// `{…}`, `if (c) {…}` or `[for …]`.
    private mutating func declarationBody() throws(BicepError) -> Expr {
        if isKeyword("if") { return try conditional() }
        if isSymbol("["), peekAfter(1).identifier == "for" { return try primary() }
        guard isSymbol("{") else { throw error("expected '{', 'if (…)' or '[for …]' as the body, found \(describe(current))") }
        return try object()
    }

    private mutating func conditional() throws(BicepError) -> Expr {
        let start = current.position
        advance()
        try expect("(", "after 'if'")
        skipNewlines()
        let condition = try expression()
        skipNewlines()
        try expect(")", "to close the condition")
        skipNewlines()
        return .conditional(condition, try object(), start)
    }

    // MARK: Types

    mutating func typeExpression() throws(BicepError) -> TypeExpr {
        try enter()
        defer { depth -= 1 }
        // A union may start with '|' on the next line (as the formatter writes long unions).
        if current.kind == .newline, peekPastNewlines().symbol == "|" { skipNewlines() }
        if isSymbol("|") { advance(); skipNewlines() }
        var members = [try postfixType()]
        while isSymbol("|") || (current.kind == .newline && peekPastNewlines().symbol == "|") {
            skipNewlines()
            advance()
            skipNewlines()
            members.append(try postfixType())
        }
        return members.count == 1 ? members[0] : .union(members)
    }

    private func peekPastNewlines() -> Token {
        var i = pos
        while i < tokens.count - 1, tokens[i].kind == .newline { i += 1 }
        return tokens[i]
    }

    private mutating func postfixType() throws(BicepError) -> TypeExpr {
        var t = try primaryType()
        while true {
            if isSymbol("["), peek().symbol == "]" { advance(); advance(); t = .array(t); continue }
            if isSymbol("?") { advance(); t = .nullable(t); continue }
            break
        }
        return t
    }

    private mutating func primaryType() throws(BicepError) -> TypeExpr {
        let start = current.position
        switch current.kind {
        case .string, .integer: return .literal(try primary())
        case .symbol("-"): return .literal(try unary())
        case .identifier(let n) where n == "true" || n == "false": return .literal(try primary())
        case .identifier(var name):
            advance()
            if (name == "resourceInput" || name == "resourceOutput" || name == "resource") && isSymbol("<") {
                advance()
                let typeText = try stringLiteral("the resource type")
                try expect(">", "after the resource type")
                var path: [String] = []
                while isSymbol(".") { advance(); path.append(try identifier("a property name")) }
                return .resourceDerived(typeText, path)
            }
            while isSymbol(".") { advance(); name += "." + (try identifier("a type name")) }
            return .named(name, start)
        case .symbol("("):
            advance()
            skipNewlines()
            let t = try typeExpression()
            skipNewlines()
            try expect(")", "to close the type")
            return t
        case .symbol("["):
            advance()
            skipNewlines()
            var items: [TypeExpr] = []
            while !isSymbol("]") {
                _ = try decorators()
                items.append(try typeExpression())
                skipNewlines()
                if isSymbol(",") { advance(); skipNewlines() }
            }
            advance()
            return .tuple(items)
        case .symbol("{"):
            advance()
            skipNewlines()
            var props: [TypeProperty] = []
            var additional: TypeExpr?
            while !isSymbol("}") {
                let decs = try decorators()
                if isSymbol("*") {
                    advance()
                    try expect(":", "after '*'")
                    additional = try typeExpression()
                } else {
                    let key: String
                    if case .string(let s) = current.kind { key = s; advance() } else { key = try identifier("a property name") }
                    var optional = false
                    if isSymbol("?") { advance(); optional = true }
                    try expect(":", "after the property name")
                    props.append(TypeProperty(name: key, type: try typeExpression(), optional: optional, decorators: decs))
                }
                guard current.kind == .newline || isSymbol(",") || isSymbol("}") else {
                    throw error("expected a line break or ',' between properties, found \(describe(current))")
                }
                if isSymbol(",") { advance() }
                skipNewlines()
            }
            advance()
            return .object(props, additional: additional)
        default:
            throw error("expected a type, found \(describe(current))")
        }
    }

    // MARK: Expressions

    mutating func expression() throws(BicepError) -> Expr {
        try enter()
        defer { depth -= 1 }
        let condition = try binary(0)
        if isSymbol("?") || (current.kind == .newline && peekPastNewlines().symbol == "?") {
            skipNewlines()
            let at = current.position
            advance()
            skipNewlines()
            let a = try expression()
            skipNewlines()
            try expect(":", "in the conditional expression (c ? a : b)")
            skipNewlines()
            let b = try expression()
            return .ternary(condition, a, b, at)
        }
        return condition
    }

    private static let levels: [[String]] = [["??"], ["||"], ["&&"], ["==", "!=", "=~", "!~"], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]]
    /// Operators that may start a continuation line.
    private static let continuing: Set<String> = ["??", "||", "&&", "==", "!=", "=~", "!~", "<=", ">=", "*", "/", "%"]

    private mutating func binary(_ level: Int) throws(BicepError) -> Expr {
        guard level < Self.levels.count else { return try unary() }
        var left = try binary(level + 1)
        while true {
            if current.kind == .newline, let s = peekPastNewlines().symbol, Self.continuing.contains(s), Self.levels[level].contains(s) {
                skipNewlines()
            }
            guard let op = current.symbol, Self.levels[level].contains(op) else { return left }
            let at = current.position
            advance()
            skipNewlines()
            try enter()
            let right = try binary(level + 1)
            depth -= 1
            left = .binary(op, left, right, at)
        }
    }

    private mutating func unary() throws(BicepError) -> Expr {
        if let op = current.symbol, op == "!" || op == "-" {
            let at = current.position
            advance()
            try enter()
            defer { depth -= 1 }
            let operand = try unary()
            if op == "-", case .integer(let i, _) = operand { return .integer(-i, at) }
            return .unary(op, operand, at)
        }
        return try postfix()
    }

    private mutating func postfix() throws(BicepError) -> Expr {
        var e = try primary()
        while true {
            // A property access may continue on the next line (`.foo`), as the formatter writes chains.
            if current.kind == .newline, let s = peekPastNewlines().symbol, s == "." || s == ".?" {
                skipNewlines()
            }
            let at = current.position
            if isSymbol(".") || isSymbol(".?") {
                let safe = isSymbol(".?")
                advance()
                let name = try identifier("a property name after '.'")
                if isSymbol("(") && !safe {
                    e = .call(e, name, try arguments(), at)
                } else {
                    e = .property(e, name, safe: safe, at)
                }
                continue
            }
            if isSymbol("[") || isSymbol("[?") {
                let safe = isSymbol("[?")
                advance()
                skipNewlines()
                let index = try expression()
                skipNewlines()
                try expect("]", "to close the index")
                e = .index(e, index, safe: safe, at)
                continue
            }
            if isSymbol("::") {
                advance()
                e = .child(e, try identifier("a child resource name after '::'"), at)
                continue
            }
            if isSymbol("!") {
                advance()
                e = .nonNull(e, at)
                continue
            }
            return e
        }
    }

    private mutating func arguments() throws(BicepError) -> [Expr] {
        try expect("(", "to open the arguments")
        skipNewlines()
        var args: [Expr] = []
        while !isSymbol(")") {
            args.append(try expression())
            skipNewlines()
            if isSymbol(",") { advance(); skipNewlines() } else if !isSymbol(")") {
                throw error("expected ',' or ')' in the argument list, found \(describe(current))")
            }
        }
        advance()
        return args
    }

    /// Whether `(` here opens a lambda's parameter list.
    private func lambdaAhead() -> Bool {
        var i = pos + 1
        while i < tokens.count {
            switch tokens[i].kind {
            case .identifier, .symbol(","), .newline: i += 1
            case .symbol(")"): return i + 1 < tokens.count && tokens[i + 1].symbol == "=>"
            default: return false
            }
        }
        return false
    }

    private mutating func primary() throws(BicepError) -> Expr {
        try enter()
        defer { depth -= 1 }
        let start = current.position
        switch current.kind {
        case .string(let s):
            advance()
            return .string(s, start)
        case .interpolated(let segments, let holes):
            advance()
            var exprs: [Expr] = []
            for hole in holes {
                var sub = Parser(tokens: hole, maxDepth: maxDepth - depth)
                let e = try sub.expression()
                guard sub.current.kind == .end else { throw sub.error("unexpected \(sub.describe(sub.current)) inside ${…}") }
                exprs.append(e)
            }
            return .interpolated(segments, exprs, start)
        case .integer(let i):
            advance()
            return .integer(i, start)
        case .identifier(let name):
            if peek().symbol == "=>" {
                advance(); advance()
                skipNewlines()
                return .lambda([name], try expression(), start)
            }
            advance()
            switch name {
            case "true": return .bool(true, start)
            case "false": return .bool(false, start)
            case "null": return .null(start)
            default: break
            }
            if isSymbol("(") { return .call(nil, name, try arguments(), start) }
            return .identifier(name, start)
        case .symbol("("):
            if lambdaAhead() {
                advance()
                var params: [String] = []
                skipNewlines()
                while !isSymbol(")") {
                    params.append(try identifier("a lambda parameter"))
                    skipNewlines()
                    if isSymbol(",") { advance(); skipNewlines() }
                }
                advance()
                try expect("=>", "after the lambda parameters")
                skipNewlines()
                return .lambda(params, try expression(), start)
            }
            advance()
            skipNewlines()
            let e = try expression()
            skipNewlines()
            try expect(")", "to close the parenthesis")
            return e
        case .symbol("["):
            if peek().identifier == "for" || (peek().kind == .newline && peekAfter(1).identifier == "for") {
                return try forLoop()
            }
            advance()
            var items: [Expr] = []
            skipNewlines()
            while !isSymbol("]") {
                if isSymbol("...") {
                    let at = current.position
                    advance()
                    items.append(.unary("...", try expression(), at))
                } else {
                    items.append(try expression())
                }
                guard current.kind == .newline || isSymbol(",") || isSymbol("]") else {
                    throw error("expected a line break or ',' between array items, found \(describe(current))")
                }
                if isSymbol(",") { advance() }
                skipNewlines()
            }
            advance()
            return .array(items, start)
        case .symbol("{"):
            return try object()
        default:
            throw error("expected an expression, found \(describe(current))")
        }
    }

    private func peekAfter(_ n: Int) -> Token {
        var i = pos + 1
        while i < tokens.count - 1, tokens[i].kind == .newline { i += 1 }
        return tokens[min(i + n - 1, tokens.count - 1)]
    }

    private mutating func forLoop() throws(BicepError) -> Expr {
        let start = current.position
        advance()
        skipNewlines()
        advance()  // for
        var item: String?
        var index: String?
        if isSymbol("(") {
            advance()
            item = try identifier("the loop item name")
            if isSymbol(",") { advance(); index = try identifier("the loop index name") }
            try expect(")", "after the loop variables")
        } else {
            item = try identifier("the loop item name")
        }
        guard isKeyword("in") else { throw error("expected 'in' in the for loop") }
        advance()
        let source = try expression()
        try expect(":", "after the loop source")
        skipNewlines()
        var condition: Expr?
        let body: Expr
        if isKeyword("if") {
            advance()
            try expect("(", "after 'if'")
            skipNewlines()
            condition = try expression()
            skipNewlines()
            try expect(")", "to close the condition")
            skipNewlines()
            body = try expression()
        } else {
            body = try expression()
        }
        skipNewlines()
        try expect("]", "to close the for loop")
        return .forLoop(ForLoop(item: item, index: index, source: source, condition: condition, body: body, position: start))
    }

    private mutating func object() throws(BicepError) -> Expr {
        let start = current.position
        try expect("{", "to open the object")
        try enter()
        defer { depth -= 1 }
        var items: [ObjectItem] = []
        skipNewlines()
        while !isSymbol("}") {
            let decs = try decorators()
            let at = current.position
            if isKeyword("resource"), peek().identifier != nil, case .string = peek(2).kind {
                items.append(.resource(try resource(decs)))
            } else if isSymbol("...") {
                advance()
                items.append(.spread(try expression(), at))
            } else {
                let key: String
                switch current.kind {
                case .string(let s): key = s; advance()
                case .identifier(let s): key = s; advance()
                case .interpolated:
                    let k = try primary()
                    try expect(":", "after the property name")
                    skipNewlines()
                    items.append(.computed(key: k, value: try expression(), position: at))
                    guard current.kind == .newline || isSymbol(",") || isSymbol("}") else {
                        throw error("expected a line break or ',' between properties, found \(describe(current))")
                    }
                    if isSymbol(",") { advance() }
                    skipNewlines()
                    continue
                default: throw error("expected a property name, found \(describe(current))")
                }
                try expect(":", "after the property name '\(key)'")
                skipNewlines()
                items.append(.property(key: key, value: try expression(), position: at))
            }
            guard current.kind == .newline || isSymbol(",") || isSymbol("}") else {
                throw error("expected a line break or ',' between properties, found \(describe(current))")
            }
            if isSymbol(",") { advance() }
            skipNewlines()
        }
        advance()
        return .object(items, start)
    }
}
