/// A Bicep expression with its source position.
indirect enum Expr: Sendable {
    case string(String, BicepPosition)
    /// Interpolated string: literal segments (one more than the holes) and the hole expressions.
    case interpolated([String], [Expr], BicepPosition)
    case integer(Int64, BicepPosition)
    case bool(Bool, BicepPosition)
    case null(BicepPosition)
    case identifier(String, BicepPosition)
    case array([Expr], BicepPosition)
    case object([ObjectItem], BicepPosition)
    /// `base.name`, `base.?name` (safe) .
    case property(Expr, String, safe: Bool, BicepPosition)
    /// `base[index]`, `base[?index]`.
    case index(Expr, Expr, safe: Bool, BicepPosition)
    /// `parent::child`.
    case child(Expr, String, BicepPosition)
    /// `name(args)` or `ns.name(args)` / `value.method(args)` (base is nil for plain calls).
    case call(Expr?, String, [Expr], BicepPosition)
    case unary(String, Expr, BicepPosition)
    case binary(String, Expr, Expr, BicepPosition)
    case ternary(Expr, Expr, Expr, BicepPosition)
    /// `expr!`.
    case nonNull(Expr, BicepPosition)
    case lambda([String], Expr, BicepPosition)
    /// `[for (item, index) in source: if (condition) body]`.
    case forLoop(ForLoop)
    /// `if (condition) body` as a resource or module body.
    case conditional(Expr, Expr, BicepPosition)

    var position: BicepPosition {
        switch self {
        case .string(_, let p), .interpolated(_, _, let p), .integer(_, let p), .bool(_, let p), .null(let p), .identifier(_, let p),
             .array(_, let p), .object(_, let p), .property(_, _, _, let p), .index(_, _, _, let p), .child(_, _, let p),
             .call(_, _, _, let p), .unary(_, _, let p), .binary(_, _, _, let p), .ternary(_, _, _, let p), .nonNull(_, let p),
             .lambda(_, _, let p), .conditional(_, _, let p):
            p
        case .forLoop(let f): f.position
        }
    }
}

/// One `for` expression.
struct ForLoop: Sendable {
    var item: String?
    var index: String?
    var source: Expr
    var condition: Expr?
    var body: Expr
    var position: BicepPosition
}

/// An item of an object literal: a property or a spread.
enum ObjectItem: Sendable {
    case property(key: String, value: Expr, position: BicepPosition)
    case spread(Expr, BicepPosition)
    /// A property whose name is an interpolated string.
    case computed(key: Expr, value: Expr, position: BicepPosition)
    /// A child resource declared inside its parent's body.
    case resource(Statement)
}

/// A decorator: `@name(args)` (the `sys.` prefix is dropped).
struct Decorator: Sendable {
    var name: String
    var arguments: [Expr]
    var position: BicepPosition
}

/// A Bicep type expression.
indirect enum TypeExpr: Sendable {
    /// `string`, `int`, a user type name or `ns.name`.
    case named(String, BicepPosition)
    case literal(Expr)
    case array(TypeExpr)
    case tuple([TypeExpr])
    case object([TypeProperty], additional: TypeExpr?)
    case union([TypeExpr])
    case nullable(TypeExpr)
    /// `resourceInput<'Type@version'>.path` and friends.
    case resourceDerived(String, [String])
}

/// A property of an object type.
struct TypeProperty: Sendable {
    var name: String
    var type: TypeExpr
    var optional: Bool
    var decorators: [Decorator]
}

/// A top-level statement.
enum Statement: Sendable {
    case targetScope(Expr, BicepPosition)
    case metadata(String, Expr, BicepPosition)
    case parameter(name: String, type: TypeExpr?, defaultValue: Expr?, decorators: [Decorator], position: BicepPosition)
    case variable(name: String, value: Expr, decorators: [Decorator], position: BicepPosition)
    case resource(name: String, typeText: String, existing: Bool, body: Expr, decorators: [Decorator], position: BicepPosition)
    case module(name: String, path: String, body: Expr, decorators: [Decorator], position: BicepPosition)
    case output(name: String, type: TypeExpr, value: Expr, decorators: [Decorator], position: BicepPosition)
    case typeAlias(name: String, type: TypeExpr, decorators: [Decorator], position: BicepPosition)
    case function(name: String, parameters: [(String, TypeExpr)], result: TypeExpr, body: Expr, decorators: [Decorator], position: BicepPosition)
    /// `import {a, b as c} from 'path'` (names) or `import * as ns from 'path'` (wildcard).
    case importSymbols(names: [(String, String)], wildcard: String?, path: String, position: BicepPosition)
    /// `using 'file'` in a `.bicepparam` file.
    case using(String, BicepPosition)
    /// `assert name = condition`: a deployment with a false condition fails.
    case assertion(name: String, condition: Expr, position: BicepPosition)
    /// `extension name [with {…}] [as alias]` (or the older `provider`): what it names, as written.
    case extensionDeclaration(String, BicepPosition)
    /// Statements this reader skips (`extends` in a `.bicepparam` file, `import 'x'`), with what they were.
    case ignored(String, BicepPosition)
}

/// A parsed Bicep (or `.bicepparam`) file.
struct BicepFile: Sendable {
    var path: String
    var statements: [Statement]
}
