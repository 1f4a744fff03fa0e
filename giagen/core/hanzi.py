"""Traditional characters of the report's labels and headings, as simplified: for matching only
(a page from Hong Kong, Macao or Taiwan style typesetting, or converted by a CMS); prose is kept
as published."""

from __future__ import annotations

import re

# Every character of the official labels, headings and identity lines that has a traditional
# form, and a few common words beside them; the pairs are the standard correspondences.
_PAIRS = (
    "萬万 與与 專专 業业 東东 為为 舉举 麼么 義义 樂乐 書书 買买 亂乱 於于 雲云 產产 親亲 "
    "僅仅 從从 們们 價价 眾众 優优 會会 傳传 傷伤 體体 餘余 備备 復复 償偿 儲储 兒儿 內内 "
    "兩两 冊册 決决 況况 減减 則则 創创 劃划 劇剧 辦办 動动 務务 勞劳 勢势 區区 協协 單单 "
    "歷历 壓压 參参 發发 變变 敘叙 號号 電电 問问 啟启 圖图 國国 圍围 圓圆 執执 堅坚 報报 "
    "場场 壞坏 壇坛 處处 備备 複复 夠够 頭头 獎奖 婦妇 學学 寧宁 實实 審审 寫写 將将 對对 "
    "導导 層层 屬属 歲岁 島岛 帶带 師师 歸归 當当 錄录 彙汇 徵征 憑凭 恆恒 惡恶 應应 戶户 "
    "擔担 據据 擇择 攜携 護护 報报 擬拟 揮挥 損损 換换 擴扩 攝摄 敗败 數数 斷断 無无 舊旧 "
    "時时 暫暂 曉晓 書书 會会 東东 條条 來来 極极 構构 槍枪 標标 樣样 樹树 機机 權权 檢检 "
    "歡欢 歲岁 殘残 氣气 漢汉 溝沟 滿满 濟济 營营 灣湾 災灾 為为 無无 煙烟 熱热 爭争 爾尔 "
    "牽牵 狀状 獨独 獲获 現现 環环 產产 畢毕 畫画 當当 疊叠 發发 盡尽 監监 盤盘 確确 禮礼 "
    "稅税 種种 稱称 穩稳 窮穷 筆笔 節节 範范 築筑 簡简 類类 糾纠 紀纪 約约 紅红 納纳 "
    "紙纸 級级 紛纷 細细 終终 組组 結结 絕绝 給给 統统 經经 綜综 網网 維维 緊紧 線线 編编 "
    "緣缘 縣县 總总 績绩 織织 繳缴 續续 罰罚 義义 習习 聯联 聲声 職职 肅肃 脅胁 腦脑 臨临 "
    "興兴 舉举 號号 蘇苏 處处 號号 補补 裝装 製制 複复 見见 規规 視视 親亲 覽览 覺觉 觀观 "
    "計计 訂订 認认 討讨 訓训 記记 設设 訪访 許许 訴诉 診诊 証证 評评 試试 詢询 話话 該该 "
    "詳详 誤误 說说 請请 諸诸 課课 調调 談谈 論论 證证 識识 議议 護护 讀读 變变 讓让 負负 "
    "財财 責责 貨货 購购 貫贯 貴贵 費费 資资 賠赔 質质 轉转 輕轻 較较 載载 輸输 辦办 農农 "
    "這这 進进 違违 連连 過过 運运 達达 遠远 適适 遞递 遺遗 選选 還还 郵邮 鄉乡 醫医 釋释 "
    "裏里 錄录 錯错 鍵键 長长 門门 開开 閉闭 間间 關关 闡阐 陳陈 陸陆 隊队 階阶 際际 隨随 "
    "險险 隱隐 雖虽 雙双 離离 難难 電电 靜静 項项 順顺 須须 預预 領领 頻频 題题 額额 顯显 "
    "類类 風风 飛飞 館馆 驗验 體体 髮发 鬥斗 黨党 齊齐 徑径 準准 衛卫 廳厅 廢废 麼么 執执 "
    "獲获 紹绍 陰阴 陽阳 網网 檔档 撥拨 擁拥 據据 總总 屆届 滯滞 漸渐 鎮镇 鄰邻 鄉乡 "
    "後后 繼继 訟讼 採采 沒没 係系 強强 鑒鉴 衆众 覆复 廣广 聽听 樓楼 陳陈 區区 歸归"
)
T2S = str.maketrans({pair[0]: pair[1] for pair in _PAIRS.split()})
# Whether a text holds any of them: found at C speed, so the common simplified text is left
# untouched (translate goes through the table character by character).
_TRADITIONAL = re.compile("[" + "".join(pair[0] for pair in _PAIRS.split()) + "]")


def simplified(text: str) -> str:
    """`text` with the traditional characters of the report's wording as simplified."""
    return text.translate(T2S) if _TRADITIONAL.search(text) else text
