extension Int {
    /// The number in decimal with leading zeros to `width` digits: `7.zeroPadded(2)` is "07". Dates are written
    /// this way on every row of a list and in every stored form; `String(format:)` costs several times more.
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(self.magnitude)
        let zeros = String(repeating: "0", count: Swift.max(0, width - digits.count))
        return (self < 0 ? "-" : "") + zeros + digits
    }
}
