/// A UTC instant with the text layout it was parsed from, for `dateTimeAdd`, `utcNow` and the epoch functions.
struct ARMDateTime {
    var seconds: Int64  // since 1970-01-01T00:00:00Z
    var fraction: Int64 = 0  // 100-ns ticks
    /// How to print the value when no format is given (the input's own layout).
    var layout: String = "yyyy-MM-ddTHH:mm:ssZ"

    /// Seconds since the epoch that .NET's DateTime can hold: 0001-01-01T00:00:00Z through 9999-12-31T23:59:59Z
    /// (https://learn.microsoft.com/dotnet/api/system.datetime.minvalue, .maxvalue); Azure fails outside them.
    static let representable: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Whether the fields name a real calendar instant in years 1–9999 (so 2026-13-45 is rejected, not rolled over).
    static func valid(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute),
              (0...59).contains(second), day >= 1 else { return false }
        return day <= daysInMonth(year, month)
    }

    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    var components: (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rem = seconds - days * 86400
        let (y, m, d) = ARMDateTime.civil(days)
        return (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }

    init(seconds: Int64, fraction: Int64 = 0, layout: String = "yyyy-MM-ddTHH:mm:ssZ") {
        self.seconds = seconds
        self.fraction = fraction
        self.layout = layout
    }

    init(year: Int64, month: Int64, day: Int64, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0) {
        seconds = ARMDateTime.daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    }

    /// Parses ISO 8601 forms (`2020-04-07T14:53:14Z`, `2020-04-07 14:53:14Z`, `20200407T145314Z`, a date alone,
    /// fractions and `+hh:mm` offsets) and the en-US `M/d/yyyy h:mm:ss tt` form.
    static func parse(_ raw: String) -> ARMDateTime? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let chars = Array(text)
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= chars.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                guard let d = chars[i + k].wholeNumberValue, chars[i + k].isASCII else { return nil }
                v = v * 10 + Int64(d)
            }
            i += n
            return v
        }
        if text.contains("/") {
            // M/d/yyyy[ h:mm:ss[ AM|PM]]
            let parts = text.split(separator: " ")
            let date = parts[0].split(separator: "/")
            guard date.count == 3, date.allSatisfy({ $0.count <= 4 }), let m = Int64(date[0]), let d = Int64(date[1]),
                  let y = Int64(date[2]) else { return nil }
            var h: Int64 = 0, mi: Int64 = 0, s: Int64 = 0
            if parts.count >= 2 {
                let fields = parts[1].split(separator: ":")
                guard fields.count >= 2, fields.count <= 3, fields.allSatisfy({ $0.count <= 2 }) else { return nil }
                let t = fields.compactMap { Int64($0) }
                guard t.count == fields.count else { return nil }
                h = t[0]; mi = t[1]
                if t.count >= 3 { s = t[2] }
                if parts.count >= 3 {
                    guard h >= 1, h <= 12 else { return nil }
                    if parts[2].uppercased() == "PM", h < 12 { h += 12 }
                    if parts[2].uppercased() == "AM", h == 12 { h = 0 }
                }
            }
            guard valid(year: y, month: m, day: d, hour: h, minute: mi, second: s) else { return nil }
            var v = ARMDateTime(year: y, month: m, day: d, hour: h, minute: mi, second: s)
            v.layout = "M/d/yyyy h:mm:ss tt"
            return v
        }
        guard let y = digits(4) else { return nil }
        let dashed = i < chars.count && chars[i] == "-"
        if dashed { i += 1 }
        guard let mo = digits(2) else { return nil }
        if dashed { guard i < chars.count, chars[i] == "-" else { return nil }; i += 1 }
        guard let d = digits(2) else { return nil }
        var h: Int64 = 0, mi: Int64 = 0, s: Int64 = 0, frac: Int64 = 0
        var layout = dashed ? "yyyy-MM-dd" : "yyyyMMdd"
        var offset: Int64 = 0
        if i < chars.count, chars[i] == "T" || chars[i] == " " {
            layout += chars[i] == "T" ? "T" : " "
            i += 1
            guard let hh = digits(2) else { return nil }
            h = hh
            let colon = i < chars.count && chars[i] == ":"
            if colon { i += 1 }
            guard let mm = digits(2) else { return nil }
            mi = mm
            layout += colon ? "HH:mm" : "HHmm"
            if i < chars.count, chars[i] == ":" || chars[i].isNumber {
                if chars[i] == ":" { i += 1 }
                guard let ss = digits(2) else { return nil }
                s = ss
                layout += colon ? ":ss" : "ss"
            }
            if i < chars.count, chars[i] == "." {
                i += 1
                var n = 0
                var f: Int64 = 0
                while i < chars.count, let dv = chars[i].wholeNumberValue {
                    if n < 7 { f = f * 10 + Int64(dv) }
                    n += 1
                    i += 1
                }
                for _ in min(n, 7)..<7 { f *= 10 }
                frac = f
                layout += "." + String(repeating: "f", count: min(max(n, 1), 7))
            }
            if i < chars.count, chars[i] == "Z" {
                i += 1
                layout += "Z"
            } else if i < chars.count, chars[i] == "+" || chars[i] == "-" {
                let sign: Int64 = chars[i] == "-" ? -1 : 1
                i += 1
                guard let oh = digits(2), oh <= 14 else { return nil }
                if i < chars.count, chars[i] == ":" { i += 1 }
                let om = digits(2) ?? 0
                guard om <= 59 else { return nil }
                offset = sign * (oh * 3600 + om * 60)
                layout += "Z"
            } else {
                layout += "Z"
            }
        } else {
            layout = dashed ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyyMMddTHHmmssZ"
        }
        guard i == chars.count, valid(year: y, month: mo, day: d, hour: h, minute: mi, second: s) else { return nil }
        var v = ARMDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        v.seconds -= offset
        guard representable.contains(v.seconds) else { return nil }
        v.fraction = frac
        v.layout = layout
        return v
    }

    /// Adds an ISO 8601 duration such as `P3Y`, `-P9D`, `PT1H30M`; throws when the duration is malformed or the
    /// result falls outside the years 1–9999 (.NET's DateTime range, which Azure uses).
    func adding(duration raw: String) throws(ARMEvalError) -> ARMDateTime {
        let malformed = ARMEvalError("dateTimeAdd(): '\(raw)' is not an ISO 8601 duration such as P1D or PT1H", code: "arm.date")
        let outOfRange = ARMEvalError("dateTimeAdd(): adding '\(raw)' leaves the years 0001 to 9999 a date-time can hold", code: "arm.date")
        var text = Substring(raw.trimmingCharacters(in: .whitespaces))
        var sign: Int64 = 1
        if text.first == "-" { sign = -1; text = text.dropFirst() }
        guard text.first == "P" else { throw malformed }
        text = text.dropFirst()
        // Amounts are summed as doubles and bounded before any integer conversion: 10,000 years is the whole range.
        var years = 0.0, months = 0.0, secs = 0.0
        var inTime = false
        var number = ""
        var any = false
        for c in text {
            if c == "T" { inTime = true; continue }
            if (c.isASCII && c.isNumber) || c == "." { number.append(c); continue }
            guard let n = Double(number), n.isFinite else { throw malformed }
            number = ""
            any = true
            switch (c, inTime) {
            case ("Y", false): years += n
            case ("M", false): months += n
            case ("W", false): secs += n * 7 * 86400
            case ("D", false): secs += n * 86400
            case ("H", true): secs += n * 3600
            case ("M", true): secs += n * 60
            case ("S", true): secs += n
            default: throw malformed
            }
        }
        guard any, number.isEmpty else { throw malformed }
        let span = Double(ARMDateTime.representable.upperBound - ARMDateTime.representable.lowerBound)
        guard years <= 10_000, months <= 120_000, secs <= span else { throw outOfRange }
        var c = components
        let totalMonths = c.year * 12 + (c.month - 1) + sign * (Int64(years) * 12 + Int64(months))
        guard totalMonths >= 12, totalMonths < 10_000 * 12 else { throw outOfRange }
        c.year = totalMonths / 12
        c.month = totalMonths % 12 + 1
        let dim = ARMDateTime.daysInMonth(c.year, c.month)
        var out = ARMDateTime(year: c.year, month: c.month, day: min(c.day, dim), hour: c.hour, minute: c.minute, second: c.second)
        out.seconds += sign * Int64(secs)
        guard ARMDateTime.representable.contains(out.seconds) else { throw outOfRange }
        out.fraction = fraction
        out.layout = layout
        return out
    }

    static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        daysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1)
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Formats with a .NET standard (`u`, `s`, `o`, `d`, `D`, `g`, `G`, `t`, `T`, `f`, `F`, `M`, `Y`, `r`) or custom format.
    func format(_ spec: String? = nil) -> String {
        var pattern = spec ?? layout
        switch pattern {
        case "u": pattern = "yyyy-MM-dd HH:mm:ssZ"
        case "s": pattern = "yyyy-MM-ddTHH:mm:ss"
        case "o", "O": pattern = "yyyy-MM-ddTHH:mm:ss.fffffffZ"
        case "d": pattern = "M/d/yyyy"
        case "D": pattern = "dddd, MMMM d, yyyy"
        case "t": pattern = "h:mm tt"
        case "T": pattern = "h:mm:ss tt"
        case "g": pattern = "M/d/yyyy h:mm tt"
        case "G": pattern = "M/d/yyyy h:mm:ss tt"
        case "f": pattern = "dddd, MMMM d, yyyy h:mm tt"
        case "F", "U": pattern = "dddd, MMMM d, yyyy h:mm:ss tt"
        case "M", "m": pattern = "MMMM d"
        case "Y", "y": pattern = "MMMM yyyy"
        case "r", "R": pattern = "ddd, dd MMM yyyy HH:mm:ss 'GMT'"
        default: break
        }
        let c = components
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday
        let chars = Array(pattern)
        var out = ""
        var i = 0
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        while i < chars.count {
            let ch = chars[i]
            var run = 1
            while i + run < chars.count && chars[i + run] == ch { run += 1 }
            switch ch {
            case "y": out += run == 2 ? pad(c.year % 100, 2) : (run == 1 ? String(c.year % 100) : pad(c.year, run))
            case "M":
                switch run {
                case 1: out += String(c.month)
                case 2: out += pad(c.month, 2)
                case 3: out += String(ARMDateTime.monthNames[Int(c.month - 1)].prefix(3))
                default: out += ARMDateTime.monthNames[Int(c.month - 1)]
                }
            case "d":
                switch run {
                case 1: out += String(c.day)
                case 2: out += pad(c.day, 2)
                case 3: out += String(ARMDateTime.dayNames[weekday].prefix(3))
                default: out += ARMDateTime.dayNames[weekday]
                }
            case "H": out += run == 1 ? String(c.hour) : pad(c.hour, 2)
            case "h":
                let h12 = c.hour % 12 == 0 ? 12 : c.hour % 12
                out += run == 1 ? String(h12) : pad(h12, 2)
            case "m": out += run == 1 ? String(c.minute) : pad(c.minute, 2)
            case "s": out += run == 1 ? String(c.second) : pad(c.second, 2)
            case "f", "F":
                let s = String(pad(fraction, 7).prefix(run))
                out += ch == "F" ? String(s.reversed().drop { $0 == "0" }.reversed()) : s
            case "t": out += run == 1 ? (c.hour < 12 ? "A" : "P") : (c.hour < 12 ? "AM" : "PM")
            case "K", "z": out += ch == "K" ? "Z" : "+00" + (run >= 3 ? ":00" : "")
            case "'", "\"":
                var j = i + 1
                while j < chars.count && chars[j] != ch { out.append(chars[j]); j += 1 }
                i = j + 1
                continue
            case "\\":
                if i + 1 < chars.count { out.append(chars[i + 1]) }
                i += 2
                continue
            default:
                out += String(repeating: ch, count: run)
            }
            i += run
        }
        return out
    }
}
