"""TRANSFERRED_TO as the facts of published judgments tell it: the sentence shapes collected from the
LeCaRDv2 judgments that are in neither gold part (lists with 分别, 其 and relatives, 向/给 + a party's
account, money then 给, 从某处借得, 收到某支付的, a post before the giver), and what is no transfer
(a claim, a modal, a negation, a sum the court rejects, a relative paying for a party). The people
are made up."""

from __future__ import annotations

from casegraph.ingest.extract import extract_text


def _moved(text: str) -> set[tuple[str, str, str | None]]:
    document = extract_text(text)
    return {(document.entities[r.source].text, document.entities[r.target].text, r.attrs.get("amount"))
            for r in document.relations if r.type == "TRANSFERRED_TO"}


def test_lists_relatives_accounts_and_money_before_the_receiver() -> None:
    moved = _moved(
        "2018年3月，被告人罗建平分别向被害人马春燕、高文斌转账1万元、2万元。"
        "被告人罗建平借给其朋友方立新12万元用于购车。"
        "被害人孔令华按对方要求，向户名为罗建平的银行账户转账9.8万元。"
        "被害人唐晓梅向罗建平控制的银行卡汇款3万元。"
        "罗建平转了5万元给其表弟张志强用于还债。"
        "罗建平给张志强支付好处费2000元。"
        "罗建平以资金周转为由向被害人严志刚借款20万元，后又从被害人邵雪梅处借得现金8万元。"
        "罗建平挪用公款3万元给个体工程老板方立新进行营利活动。"
        "买受人熊立军按照拍卖成交确认书的约定，于2010年1月22日将拍卖成交款56万元支付给罗建平。")
    assert moved == {("罗建平", "马春燕", "10000.00"), ("罗建平", "高文斌", "20000.00"),
                     ("罗建平", "方立新", "120000.00"), ("孔令华", "罗建平", "98000.00"),
                     ("唐晓梅", "罗建平", "30000.00"), ("罗建平", "张志强", "50000.00"), ("罗建平", "张志强", "2000.00"),
                     ("严志刚", "罗建平", "200000.00"), ("邵雪梅", "罗建平", "80000.00"),
                     ("罗建平", "方立新", "30000.00"), ("熊立军", "罗建平", "560000.00")}


def test_givers_behind_a_post_receipts_and_money_named_before() -> None:
    moved = _moved(
        "2016年6月，孙德兴收受沈阳宏达建筑工程有限公司法定代表人赵长海所送现金20万元。"
        "刘海燕收到被害人江小平支付的投资款后，将其中5万元转至孙德兴指定的黄立强的银行卡。"
        "被害人陈国富于2018年10月8日将30万元汇入刘海燕的账户，该款随后被刘海燕转给孙德兴。"
        "2020年4月7日，被告人吴振东将上海远航物流有限公司账户内资金45万元转入其个人银行账户。"
        "当天，刘海燕持其本人的中国银行储蓄卡到中国银行小金口支行ATM机上操作转入被害人孙德兴的中国农业银行卡7520元。")
    assert moved == {("赵长海", "孙德兴", "200000.00"), ("江小平", "刘海燕", None),
                     ("刘海燕", "黄立强", "50000.00"), ("陈国富", "刘海燕", "300000.00"),
                     ("刘海燕", "孙德兴", "300000.00"), ("上海远航物流有限公司", "吴振东", "450000.00"),
                     ("刘海燕", "孙德兴", "7520.00")}


def test_claims_modals_negations_and_proxies_are_no_transfer_of_the_party() -> None:
    moved = _moved(
        "被告人邓立明谎称购房款交给自己，由其交给开发商公司财务。"
        "邓立明称该客户所交购房款可以转给宋美华。"
        "余下的861.5万元，浩达公司没有按照合同约定及时支付给德润化工有限公司。"
        "被害人赵秋生称其曾另向邓立明转账5万元，但未能提供转账凭证，本院不予认定。"
        "案发后，邓立明的亲属代为向南宁市公安局退缴40万元。"
        "邓立明骗取林某某等十二人共计36.8万元。")
    assert moved == set()


def test_receivers_behind_kin_control_and_a_company_name_money_before_the_receiver_and_takings() -> None:
    moved = _moved(
        "2014年10月2日，焦立新将40000元还给曹建国的妻子陆秀兰。"
        "2012年12月21日，茂名市财政局汇划57万元到茂名粤华建材有限公司。"
        "2015年2月14日，被害人黄志平转账人民币41200元至被告人吴建军的账户。"
        "投资人龚丽将资金转入被告人程秀华以合肥汇通科技有限公司名义开设的账户。"
        "范东明将1200万元转入其实际控制的合肥方正投资咨询有限公司。"
        "2018年6月13日被告人郭秀萍向福清市公安局投案并退出款项20000元。"
        "马德林为感谢王建军在工程中的帮助，在王建军的办公室送给其现金20万元。"
        "由宋志强操作将被害人李雪梅银行卡内的现金取走15000元。"
        "杨明华已代王国斌退交贪污款7.127万元给丘北县人民检察院。"
        "后刘志刚向被告人王海龙共支付了40000元。")
    assert moved == {("焦立新", "陆秀兰", "40000.00"), ("茂名市财政局", "茂名粤华建材有限公司", "570000.00"),
                     ("黄志平", "吴建军", "41200.00"), ("龚丽", "合肥汇通科技有限公司", None),
                     ("范东明", "合肥方正投资咨询有限公司", "12000000.00"),
                     ("郭秀萍", "福清市公安局", "20000.00"), ("马德林", "王建军", "200000.00"),
                     ("李雪梅", "宋志强", "15000.00"), ("杨明华", "丘北县人民检察院", "71270.00"),
                     ("刘志刚", "王海龙", "40000.00")}


def test_a_pronoun_with_no_one_between_payer_and_verb_and_a_refusal_give_nothing() -> None:
    moved = _moved(
        "后童建华将分得的10万元退还给其，其用来作为奖金发给了公司员工。"
        "刘志成介绍曹洪亮借给其3万元。"
        "彭国强为感谢杜建辉的帮助，不收取杜建辉任何费用。")
    assert moved == set()


def test_money_taken_from_the_body_one_serves_and_posts_before_a_role_word() -> None:
    document = extract_text(
        "湖南省洞口县人民法院刑事判决书（2018）湘0525刑初247号。经审理查明：2017年12月，被告人杨文博在担任洞口县隆安物流有限公司"
        "业务员期间，利用收款的职务便利，将本单位的货款人民币517959元非法占为己有。后被告人张宏伟又找到迁安钢铁集团有限公司保安被告人"
        "裴志刚、周立新共同窃取电缆。")
    facts = {(document.entities[r.source].text, r.type, document.entities[r.target].text, r.role)
             for r in document.relations if r.type != "CO_DEFENDANT"}
    assert ("洞口县隆安物流有限公司", "TRANSFERRED_TO", "杨文博", None) in facts
    assert ("洞口县隆安物流有限公司", "ROLE_IN", "（2018）湘0525刑初247号", "victim") in facts
    assert {("裴志刚", "EMPLOYED_BY", "迁安钢铁集团有限公司", None),
            ("周立新", "EMPLOYED_BY", "迁安钢铁集团有限公司", None)} <= facts
