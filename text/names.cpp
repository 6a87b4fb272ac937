#include "text/names.hpp"

#include <string>

namespace kayou::text {
namespace {

// The 500-odd most common Chinese surnames (single and compound); a name starts with one.
const std::u32string& single_surnames() {
    static const std::u32string surnames =
        U"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
        U"苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
        U"龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
        U"左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
        U"屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
        U"闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
        U"南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
        U"卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
        U"逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭"
        U"由帖郗蹇钮禄糜岩充隗荀牧鄂厍甫淦汝卢肇蔚仇鄯邗泮舜郦胡练缑郏綦";
    return surnames;
}

}  // namespace

bool starts_with_surname(std::u32string_view name) {
    static const std::u32string compound[] = {
        U"欧阳", U"司马", U"上官", U"诸葛", U"东方", U"皇甫", U"尉迟", U"公孙", U"慕容", U"长孙",
        U"宇文", U"司徒", U"夏侯", U"轩辕", U"令狐", U"端木", U"独孤", U"南宫", U"西门", U"呼延"};
    for (const auto& surname : compound)
        if (name.substr(0, surname.size()) == surname) return true;
    return !name.empty() && single_surnames().find(name[0]) != std::u32string::npos;
}

}  // namespace kayou::text
