import Foundation

/// Font substitutions for rendering official Chinese documents with only Noto CJK installed.
/// Without them fontconfig picks the Japanese face of the Noto collection for 宋体/仿宋/黑体 and the
/// printed forms show Japanese glyph shapes.
public enum FontconfigAliases: Sendable {
    /// Serif (Song/Fang Song/Kai and the title font) map to Noto Serif CJK SC, Hei to Noto Sans CJK SC.
    public static let serifFamilies = ["宋体", "SimSun", "NSimSun", "新宋体", "仿宋", "仿宋_GB2312", "FangSong",
                                       "FangSong_GB2312", "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S",
                                       "楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "华文中宋", "STZhongsong"]
    /// Hei and UI fonts, which are sans-serif.
    public static let sansFamilies = ["黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "等线", "DengXian"]

    /// A fontconfig file that first loads the system configuration, then adds the aliases; handed to
    /// LibreOffice through FONTCONFIG_FILE so the system stays untouched.
    public static let configurationXML: String = {
        func rules(_ families: [String], target: String) -> String {
            families.map { family in
                """
                  <match target="pattern">
                    <test qual="any" name="family"><string>\(XMLText.escaped(family))</string></test>
                    <edit name="family" mode="assign" binding="strong"><string>\(target)</string></edit>
                    <edit name="lang" mode="assign" binding="strong"><string>zh-cn</string></edit>
                  </match>

                """
            }.joined()
        }
        return """
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
        <fontconfig>
          <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
        \(rules(serifFamilies, target: "Noto Serif CJK SC"))\(rules(sansFamilies, target: "Noto Sans CJK SC"))\
          <match target="pattern">
            <test name="lang" compare="contains"><string>zh-cn</string></test>
            <test name="family"><string>serif</string></test>
            <edit name="family" mode="prepend" binding="strong"><string>Noto Serif CJK SC</string></edit>
          </match>
          <match target="pattern">
            <test name="lang" compare="contains"><string>zh-cn</string></test>
            <test name="family"><string>sans-serif</string></test>
            <edit name="family" mode="prepend" binding="strong"><string>Noto Sans CJK SC</string></edit>
          </match>
        </fontconfig>

        """
    }()
}
