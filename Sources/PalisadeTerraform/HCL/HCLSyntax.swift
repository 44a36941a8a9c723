import PalisadeModel

/// A position in an HCL file: the file as the user named it, 1-based line and column.
public struct HCLPosition: Hashable, Sendable, CustomStringConvertible {
    /// The file path.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// Creates a position.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The model's location type.
    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }
    public var description: String { "\(file):\(line):\(column)" }
}

/// An HCL body: attributes and nested blocks in source order.
public struct HCLBody: Sendable {
    /// Attributes (`name = expr`).
    public var attributes: [HCLAttribute] = []
    /// Nested blocks (`type "label" { … }`).
    public var blocks: [HCLBlock] = []

    /// Creates an empty body.
    public init() {}

    /// The attribute with this name, if any.
    public func attribute(_ name: String) -> HCLAttribute? { attributes.first { $0.name == name } }
    /// The blocks of this type, in source order.
    public func blocks(_ type: String) -> [HCLBlock] { blocks.filter { $0.type == type } }
}

/// `name = expression`.
public struct HCLAttribute: Sendable {
    /// The attribute name.
    public var name: String
    /// Its expression.
    public var expression: HCLExpression
    /// Where the name is written.
    public var position: HCLPosition
}

/// `type "label" … { body }`.
public struct HCLBlock: Sendable {
    /// Block type, e.g. `resource`.
    public var type: String
    /// Labels, e.g. `["azurerm_subnet", "shared"]`.
    public var labels: [String]
    /// Contents.
    public var body: HCLBody
    /// Where the block type is written.
    public var position: HCLPosition
}

/// One step of a traversal after its root: `.name`, `[index]`, or a legacy `.0` index.
public enum HCLTraverser: Sendable {
    case attribute(String)
    case index(HCLExpression)
}

/// Binary operators, lowest precedence first in `precedence`.
public enum HCLBinaryOperator: String, Sendable, Hashable {
    case or = "||", and = "&&", equal = "==", notEqual = "!=", less = "<", greater = ">", lessEqual = "<=",
         greaterEqual = ">=", add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
}

/// A part of a string template.
public indirect enum HCLTemplatePart: Sendable {
    /// Literal text (escapes already decoded).
    case literal(String)
    /// `${ expr }`.
    case interpolation(HCLExpression)
    /// `%{ if cond } … %{ else } … %{ endif }`.
    case conditional(HCLExpression, [HCLTemplatePart], [HCLTemplatePart])
    /// `%{ for k, v in coll } … %{ endfor }`.
    case loop(key: String?, value: String, collection: HCLExpression, body: [HCLTemplatePart])
}

/// An expression with where it was written.
public struct HCLExpression: Sendable {
    /// What kind of expression.
    public indirect enum Kind: Sendable {
        /// A literal: number, bool, null.
        case literal(HCLValue)
        /// A string template.
        case template([HCLTemplatePart])
        /// A variable root with traversal: `var.a.b[0]`.
        case traversal(String, [HCLTraverser])
        /// A postfix traversal applied to another expression: `(expr).a`, `f(x)[0]`.
        case relative(HCLExpression, [HCLTraverser])
        /// `expr[*].rest` or `expr.*.rest`.
        case splat(HCLExpression, [HCLTraverser])
        /// `[a, b]`.
        case tuple([HCLExpression])
        /// `{ k = v }`; keys are expressions (a bare word is a literal key).
        case object([HCLObjectItem])
        /// `name(args…)`, `expandFinal` when the last argument ends in `...`.
        case call(String, [HCLExpression], expandFinal: Bool)
        /// `c ? a : b`.
        case conditional(HCLExpression, HCLExpression, HCLExpression)
        /// `a op b`.
        case binary(HCLBinaryOperator, HCLExpression, HCLExpression)
        /// `!a`.
        case not(HCLExpression)
        /// `-a`.
        case negate(HCLExpression)
        /// `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if cond}`.
        case forExpression(HCLForExpression)
        /// `(expr)`, kept so `(a).b` style keys and object keys behave as Terraform's.
        case parenthesized(HCLExpression)
    }
    /// The expression.
    public var kind: Kind
    /// Where it starts.
    public var position: HCLPosition

    /// Creates an expression.
    public init(_ kind: Kind, _ position: HCLPosition) {
        self.kind = kind
        self.position = position
    }

    /// The bare word of a keyword-like expression (`string`, `list(string)`'s root), for `type` and object keys.
    public var bareWord: String? {
        if case .traversal(let root, let steps) = kind, steps.isEmpty { return root }
        return nil
    }
}

/// A `for` expression.
public struct HCLForExpression: Sendable {
    /// Key (or index) variable, when two are named.
    public var keyName: String?
    /// Value variable.
    public var valueName: String
    /// The collection.
    public var collection: HCLExpression
    /// The key expression for object results.
    public var keyExpression: HCLExpression?
    /// The value expression.
    public var valueExpression: HCLExpression
    /// `...` grouping for object results.
    public var grouping: Bool
    /// The `if` filter.
    public var condition: HCLExpression?
}

/// One `key = value` item of an object constructor.
public struct HCLObjectItem: Sendable {
    /// The key: a bare word is a literal key, anything else is evaluated.
    public var key: HCLExpression
    /// The value.
    public var value: HCLExpression
}
