"""Markup and other non-JSON bodies, sixth round (development round "f"), from industries and
stacks the earlier rounds did not use: library systems (SRU ``diagnostics``, OAI-PMH ``<error
code="idDoesNotExist">``, NCIP ``Problem``/``ProblemType``, Koha ILS-DI ``<code>PatronNotFound``,
Ex Libris Alma ``web_service_result``), education (SIF 2.x ``SIF_Ack``/``SIF_Error``, LTI 1.1
Outcomes ``imsx_codeMajor`` failure, a Shibboleth IdP "Web Login Service" page answering an
XHR), energy (ENTSO-E ``Acknowledgement_MarketDocument`` reason 999 with a 200, Overpass
``<remark> runtime error``), public registries (Spanish Catastro ``<cuerr>``/``<lerr>``, EPP over
HTTPS ``<result code="2302|2104">``, Brazilian NFS-e ABRASF ``E10`` inside ``outputXML``, an Italian
SPID login page, EU EORI validation), hospitality (Booking.com B.XML ``<error>`` with its RUID
comment), POS and card payments (Datacap ``CmdStatus`` Declined, eWAY ``ewayTrxnError``, USAePay
``UMstatus=Declined``, 3-D Secure 1.0 ``<Error>``, Redsys ``RETORNOXML`` SIS0051, Dutch iDEAL
``AcquirerErrorRes``/``AcquirerStatusRes``, Buckaroo ``BRQ_`` name-value replies, China UnionPay
``respCode``/``respMsg``), logistics and customs (AEB ``hasErrors`` results in German), SMS and
media over XML/XML-RPC (ihuyi ``SubmitResult`` code 4085, OpenSubtitles ``407 Download limit
reached``, Supervisor XML-RPC faults), PubMed E-utilities ``<ERROR>``/``<ErrorList>``, and
framework default output (Spring Security's generated "Please sign in" page, ASP.NET
customErrors "An error occurred while processing your request." after a redirect, a ColdFusion
error template, an IIS/HTTP.sys 503).  The traps are successful answers that carry failure
words: an OAI-PMH harvest with deleted records, an NCIP item whose circulation status is
"Missing", an iDEAL status query for a failed transaction, an EPP domain check answering
"In use", a UnionPay query whose original transaction failed, a Supervisor process list with a
FATAL process, a PubMed search with an ``ErrorList`` beside its hits and an EORI check whose
answer is "Not valid".
"""

from tests.semantic_errors.shapes import Part

PART = Part("markup")

XML = "text/xml; charset=utf-8"
JSON_CALL_GET = {"Accept": "application/json"}


# --------------------------------------------------------------------------- payment

PART.add(
    "f-datacap-rstream-cmdstatus-declined",
    200,
    """<?xml version="1.0"?>
<RStream>
	<CmdResponse>
		<ResponseOrigin>Processor</ResponseOrigin>
		<DSIXReturnCode>000000</DSIXReturnCode>
		<CmdStatus>Declined</CmdStatus>
		<TextResponse>DECLINE</TextResponse>
		<SequenceNo>0010010180</SequenceNo>
		<UserTrace>LANE4-000731</UserTrace>
	</CmdResponse>
	<TranResponse>
		<MerchantID>700000012262</MerchantID>
		<AcctNo>************4412</AcctNo>
		<CardType>VISA</CardType>
		<TranCode>EMVSale</TranCode>
		<RefNo>0731</RefNo>
		<InvoiceNo>0731</InvoiceNo>
		<Amount>
			<Purchase>84.17</Purchase>
			<Authorize>0.00</Authorize>
		</Amount>
		<EntryMethod>CHIP</EntryMethod>
		<RecordNo></RecordNo>
	</TranResponse>
</RStream>
""",
    "payment",
    "Datacap POS terminal reply: the transport return code is 000000 but CmdStatus is Declined with nothing authorized",
    content_type="text/xml",
)

PART.add(
    "f-eway-xml-insufficient-funds",
    200,
    "<ewayResponse><ewayTrxnStatus>False</ewayTrxnStatus><ewayTrxnNumber>1021947</ewayTrxnNumber>"
    "<ewayTrxnReference>INV-55120</ewayTrxnReference><ewayTrxnOption1/><ewayTrxnOption2/><ewayTrxnOption3/>"
    "<ewayAuthCode/><ewayReturnAmount>12950</ewayReturnAmount>"
    "<ewayTrxnError>51,Insufficient Funds</ewayTrxnError></ewayResponse>",
    "payment",
    "eWAY XML payment: ewayTrxnStatus False with response 51 Insufficient Funds",
    content_type="text/xml",
)

PART.add(
    "f-usaepay-nvp-umstatus-declined",
    200,
    "UMversion=2.9&UMstatus=Declined&UMauthCode=000000&UMrefNum=3102458871"
    "&UMavsResult=Address%3A%20Match%20%26%205%20Digit%20Zip%3A%20Match&UMavsResultCode=YYY"
    "&UMcvv2Result=Match&UMcvv2ResultCode=M&UMresult=D&UMvpasResultCode="
    "&UMerror=Card%20Declined&UMerrorcode=10127&UMcustnum=&UMbatch=1542&UMisDuplicate=N"
    "&UMconvertedAmount=&UMconvertedAmountCurrency=840&UMconversionRate=&UMfiller=filled",
    "payment",
    "USAePay legacy gateway name-value reply: UMstatus=Declined, UMresult=D, UMerror=Card Declined",
    content_type="text/html",
)

PART.add(
    "f-epp-https-2104-billing-failure",
    200,
    """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <response>
    <result code="2104">
      <msg lang="en">Billing failure</msg>
      <extValue>
        <value><domain:name xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">trattoria-da-gino.it</domain:name></value>
        <reason lang="it">Credito insufficiente per completare l'operazione</reason>
      </extValue>
    </result>
    <trID>
      <clTRID>RGX-20240517-000981</clTRID>
      <svTRID>20240517.102233.55120.0</svTRID>
    </trID>
  </response>
</epp>""",
    "payment",
    "EPP domain:create over HTTPS: result 2104 Billing failure, the registrar's prepaid credit is insufficient (reason in Italian)",
    content_type="text/xml",
)


# --------------------------------------------------------------------------- rate_limit

PART.add(
    "f-unionpay-respcode-37-too-frequent",
    200,
    "accessType=0&bizType=000000&encoding=UTF-8&merId=777290058110048&orderId=20240517093015"
    "&respCode=37&respMsg=已超过最大查询次数或操作过于频繁&signMethod=01"
    "&signature=Vq3kXcJ0hW0y7o1m3fE0r2Lx8Qm5bO0pZ4xg9a1Yk2c=&txnSubType=00&txnTime=20240517093015"
    "&txnType=00&version=5.1.0",
    "rate_limit",
    "China UnionPay (ACP) query answered respCode 37: maximum number of queries exceeded / operating too frequently",
    content_type="application/x-www-form-urlencoded; charset=UTF-8",
)

PART.add(
    "f-ihuyi-sms-4085-daily-cap",
    200,
    """<?xml version="1.0" encoding="utf-8"?>
<SubmitResult xmlns="http://106.ihuyi.com/">
<code>4085</code>
<msg>同一手机号验证码短信发送超出5条</msg>
<smsid>0</smsid>
</SubmitResult>""",
    "rate_limit",
    "ihuyi SMS submit: code 4085, more than 5 verification SMS to the same number (per-number quota), smsid 0",
    content_type="text/xml; charset=utf-8",
)

PART.add(
    "f-opensubtitles-xmlrpc-407-download-limit",
    200,
    """<?xml version="1.0" encoding="utf-8"?>
<methodResponse>
 <params>
  <param>
   <value>
    <struct>
     <member>
      <name>status</name>
      <value><string>407 Download limit reached</string></value>
     </member>
     <member>
      <name>seconds</name>
      <value><double>0.006</double></value>
     </member>
    </struct>
   </value>
  </param>
 </params>
</methodResponse>""",
    "rate_limit",
    "OpenSubtitles XML-RPC DownloadSubtitles: a normal methodResponse whose status is 407 Download limit reached (quota)",
    content_type="text/xml",
)


# --------------------------------------------------------------------------- auth_failure

PART.add(
    "f-sif2-ack-access-permission",
    200,
    """<SIF_Message xmlns="http://www.sifinfo.org/infrastructure/2.x" Version="2.3">
  <SIF_Ack>
    <SIF_Header>
      <SIF_MsgId>3F0A8C51D2E94B7AA1C64E0B9D27F118</SIF_MsgId>
      <SIF_Timestamp>2024-03-11T08:15:02-05:00</SIF_Timestamp>
      <SIF_SourceId>StateZIS</SIF_SourceId>
      <SIF_DestinationId>GradebookAgent</SIF_DestinationId>
    </SIF_Header>
    <SIF_OriginalSourceId>GradebookAgent</SIF_OriginalSourceId>
    <SIF_OriginalMsgId>9B21E0C7A4D84F62B1E5D0F3C8A79E44</SIF_OriginalMsgId>
    <SIF_Error>
      <SIF_Category>4</SIF_Category>
      <SIF_Code>5</SIF_Code>
      <SIF_Desc>No permission to request StudentPersonal</SIF_Desc>
      <SIF_ExtendedDesc>Agent GradebookAgent is not authorized to request StudentPersonal objects in zone DISTRICT_0412</SIF_ExtendedDesc>
    </SIF_Error>
  </SIF_Ack>
</SIF_Message>""",
    "auth_failure",
    "SIF 2.x acknowledgement carrying SIF_Error category 4 (Access and Permissions): no permission to request",
    content_type="application/xml",
)

PART.add(
    "f-ideal-acquirererrorres-se2000",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<AcquirerErrorRes xmlns="http://www.idealdesk.com/ideal/messages/mer-acq/3.3.1" version="3.3.1">
  <createDateTimestamp>2024-04-02T09:13:45.120Z</createDateTimestamp>
  <Error>
    <errorCode>SE2000</errorCode>
    <errorMessage>Authentication error</errorMessage>
    <errorDetail>Signature verification failed for merchant 002054321</errorDetail>
    <consumerMessage>Betalen met iDEAL is nu niet mogelijk. Probeer het later nogmaals of betaal op een andere manier.</consumerMessage>
  </Error>
</AcquirerErrorRes>""",
    "auth_failure",
    "iDEAL acquirer answered a transaction request with AcquirerErrorRes SE2000 Authentication error (Dutch consumer message)",
    content_type="text/xml; charset=UTF-8",
)

PART.add(
    "f-shibboleth-idp-login-page-for-xhr",
    200,
    """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width,initial-scale=1.0">
    <title>Web Login Service</title>
    <link rel="stylesheet" type="text/css" href="/idp/css/main.css">
  </head>

  <body>
    <div class="wrapper">
      <div class="container">
        <header>
          <img src="/idp/images/university-logo.png" alt="Universiteit logo">
        </header>

        <div class="content">
          <div class="column one">
            <form action="/idp/profile/SAML2/Redirect/SSO?execution=e1s1" method="post">
              <legend>
                Login to Student Records (SIS)
              </legend>
              <div class="form-element-wrapper">
                <label for="username">Username</label>
                <input class="form-element form-field" id="username" name="j_username" type="text" value="">
              </div>
              <div class="form-element-wrapper">
                <label for="password">Password</label>
                <input class="form-element form-field" id="password" name="j_password" type="password" value="">
              </div>
              <div class="form-element-wrapper">
                <button class="form-element form-button" type="submit" name="_eventId_proceed"
                    onClick="this.childNodes[0].nodeValue='Logging in, please wait...'">Login</button>
              </div>
            </form>
""",
    "auth_failure",
    "An XHR to the student-records API was redirected to the Shibboleth IdP and got its 'Web Login Service' form instead of JSON",
    content_type="text/html;charset=utf-8",
    request={"method": "GET", "path": "/api/v2/students/20231187/enrollments", "headers": JSON_CALL_GET},
)

PART.add(
    "f-spring-security-default-login-page",
    200,
    """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
    <meta name="description" content="">
    <meta name="author" content="">
    <title>Please sign in</title>
    <link href="https://maxcdn.bootstrapcdn.com/bootstrap/4.0.0-beta/css/bootstrap.min.css" rel="stylesheet" crossorigin="anonymous">
    <link href="https://getbootstrap.com/docs/4.0/examples/signin/signin.css" rel="stylesheet" crossorigin="anonymous"/>
  </head>
  <body>
     <div class="container">
      <form class="form-signin" method="post" action="/login">
        <h2 class="form-signin-heading">Please sign in</h2>
        <p>
          <label for="username" class="sr-only">Username</label>
          <input type="text" id="username" name="username" class="form-control" placeholder="Username" required autofocus>
        </p>
        <p>
          <label for="password" class="sr-only">Password</label>
          <input type="password" id="password" name="password" class="form-control" placeholder="Password" required>
        </p>
<input name="_csrf" type="hidden" value="9c1f0d2e-5b7a-4c1e-8f3d-2a6b0e7c4d19" />
        <button class="btn btn-lg btn-primary btn-block" type="submit">Sign in</button>
      </form>
</div>
</body></html>""",
    "auth_failure",
    "Spring Security's generated 'Please sign in' page answered a JSON call to a meter-data API (session missing, redirected to /login)",
    content_type="text/html;charset=UTF-8",
    request={
        "method": "GET",
        "path": "/api/meters/871687400012345678/readings?from=2024-05-01",
        "headers": JSON_CALL_GET,
    },
)

PART.add(
    "f-spid-login-page-registro-italian",
    200,
    """<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<title>Accesso all'area riservata - Registro Imprese</title>
<link rel="stylesheet" href="/static/spid-sp-access-button/css/spid-sp-access-button.min.css">
</head>
<body>
<main class="container">
  <h1>Accedi all'area riservata</h1>
  <p>Per proseguire è necessario autenticarsi con la propria identità digitale.</p>
  <a href="#" class="italia-it-button italia-it-button-size-m button-spid" spid-idp-button="#spid-idp-button-medium-get" aria-haspopup="true" aria-expanded="false">
    <span class="italia-it-button-icon"><img src="/static/spid-sp-access-button/img/spid-ico-circle-bb.svg" alt="" /></span>
    <span class="italia-it-button-text">Entra con SPID</span>
  </a>
  <div id="spid-idp-button-medium-get" class="spid-idp-button spid-idp-button-tip spid-idp-button-relative">
    <ul id="spid-idp-list-medium-root-get" class="spid-idp-button-menu" aria-labelledby="spid-idp">
      <li class="spid-idp-button-link"><a href="/spid/login?idp=arubaid"><span class="spid-sr-only">Aruba ID</span></a></li>
      <li class="spid-idp-button-link"><a href="/spid/login?idp=posteid"><span class="spid-sr-only">Poste ID</span></a></li>
""",
    "auth_failure",
    "A JSON call to a public-registry API came back with the Italian SPID login page ('Entra con SPID'): not authenticated",
    content_type="text/html; charset=UTF-8",
    request={"method": "GET", "path": "/api/v1/imprese/02839750484/visura", "headers": JSON_CALL_GET},
)

PART.add(
    "f-bookingcom-bxml-availability-not-enabled",
    200,
    "<?xml version='1.0' standalone='yes'?>\n"
    "<error>updating availability hasn't been enabled for hotel '405762' (owning room '40576201'), "
    "please contact Bookings ( room id    : '40576201')</error>\n"
    "<!-- RUID: [UmFuZG9tSVYkc2RlIyh9YYoXRm+fJyVO6FZjXe1kd3mkSKCnQxRQBlSsjKlEG0X2PVTIJjH2pFrGZQis2F8xXA==] -->\n",
    "auth_failure",
    "Booking.com B.XML availability push rejected: updates are not enabled for this hotel, i.e. the connection is not permitted (a 403-like refusal)",
    content_type="text/xml",
)


# --------------------------------------------------------------------------- not_found

PART.add(
    "f-entsoe-ack-no-matching-data",
    200,
    """<?xml version="1.0" encoding="utf-8"?>
<Acknowledgement_MarketDocument xmlns="urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:0">
  <mRID>5b1e0c4f-73a9-4</mRID>
  <createdDateTime>2024-02-13T07:41:09Z</createdDateTime>
  <sender_MarketParticipant.mRID codingScheme="A01">10X1001A1001A450</sender_MarketParticipant.mRID>
  <sender_MarketParticipant.marketRole.type>A32</sender_MarketParticipant.marketRole.type>
  <receiver_MarketParticipant.mRID codingScheme="A01">10X1001A1001A450</receiver_MarketParticipant.mRID>
  <receiver_MarketParticipant.marketRole.type>A39</receiver_MarketParticipant.marketRole.type>
  <received_MarketDocument.createdDateTime>2024-02-13T07:41:09Z</received_MarketDocument.createdDateTime>
  <Reason>
    <code>999</code>
    <text>No matching data found for Data item ENERGY_PRICES [12.1.D] (10Y1001A1001A82H, 10Y1001A1001A82H) and interval 2024-02-12T23:00:00.000Z/2024-02-13T23:00:00.000Z.</text>
  </Reason>
</Acknowledgement_MarketDocument>
""",
    "not_found",
    "ENTSO-E Transparency API sent an Acknowledgement (acknowledgement.xml) instead of the price document: reason 999 no matching data",
    content_type="text/xml",
    headers={"Content-Disposition": 'inline; filename="acknowledgement.xml"'},
)

PART.add(
    "f-oaipmh-getrecord-iddoesnotexist",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="static/style.xsl"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
  <responseDate>2024-05-16T10:22:07Z</responseDate>
  <request verb="GetRecord" identifier="oai:repositorio.uminho.pt:1822/999999" metadataPrefix="oai_dc">https://repositorium.uminho.pt/oai/request</request>
  <error code="idDoesNotExist">No matching identifier</error>
</OAI-PMH>""",
    "not_found",
    "OAI-PMH GetRecord answered with the protocol error idDoesNotExist",
    content_type="text/xml;charset=UTF-8",
)

PART.add(
    "f-ncip-renewitem-unknown-item",
    200,
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<ns1:NCIPMessage xmlns:ns1="http://www.niso.org/2008/ncip" ns1:version="http://www.niso.org/schemas/ncip/v2_0/imp1/xsd/ncip_v2_0.xsd">'
    "<ns1:RenewItemResponse><ns1:ResponseHeader><ns1:FromAgencyId><ns1:AgencyId>01UNI_INST</ns1:AgencyId></ns1:FromAgencyId>"
    "<ns1:ToAgencyId><ns1:AgencyId>01UNI_INST</ns1:AgencyId></ns1:ToAgencyId></ns1:ResponseHeader>"
    "<ns1:Problem><ns1:ProblemType>Unknown Item</ns1:ProblemType><ns1:ProblemDetail>Unknown Item</ns1:ProblemDetail>"
    "<ns1:ProblemElement>//RenewItem/ItemId</ns1:ProblemElement><ns1:ProblemValue>39015063110007718</ns1:ProblemValue>"
    "</ns1:Problem></ns1:RenewItemResponse></ns1:NCIPMessage>",
    "not_found",
    "NCIP RenewItem (library circulation) answered with a Problem of type Unknown Item",
    content_type="application/xml;charset=UTF-8",
)

PART.add(
    "f-koha-ilsdi-patron-not-found",
    200,
    """<?xml version="1.0" encoding="UTF-8" ?>
<GetPatronInfo>
  <code>PatronNotFound</code>
</GetPatronInfo>
""",
    "not_found",
    "Koha ILS-DI GetPatronInfo: the whole answer is code PatronNotFound",
    content_type="text/xml; charset=utf-8",
    request={"method": "GET", "path": "/cgi-bin/koha/ilsdi.pl?service=GetPatronInfo&patron_id=88123&show_loans=1"},
)

PART.add(
    "f-catastro-dnprc-inmueble-no-existe",
    200,
    """<?xml version="1.0" encoding="utf-8"?><consulta_dnp xmlns="http://www.catastro.meh.es/"><control><cuerr>1</cuerr></control><lerr><err><cod>5</cod><des>NO EXISTE NINGUN INMUEBLE CON LOS PARAMETROS INDICADOS</des></err></lerr></consulta_dnp>""",
    "not_found",
    "Spanish Catastro Consulta_DNPRC by cadastral reference: cuerr 1, 'no property exists with the given parameters'",
    content_type="text/xml; charset=utf-8",
)


# --------------------------------------------------------------------------- conflict

PART.add(
    "f-redsys-trataPeticion-sis0051",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><p231:trataPeticionResponse xmlns:p231="http://webservice.sis.sermepa.es"><p231:trataPeticionReturn>&lt;RETORNOXML&gt;&lt;CODIGO&gt;SIS0051&lt;/CODIGO&gt;&lt;RECIBIDO&gt;&lt;DATOSENTRADA&gt;&lt;DS_MERCHANT_AMOUNT&gt;4590&lt;/DS_MERCHANT_AMOUNT&gt;&lt;DS_MERCHANT_ORDER&gt;240517A0091&lt;/DS_MERCHANT_ORDER&gt;&lt;DS_MERCHANT_MERCHANTCODE&gt;999008881&lt;/DS_MERCHANT_MERCHANTCODE&gt;&lt;DS_MERCHANT_CURRENCY&gt;978&lt;/DS_MERCHANT_CURRENCY&gt;&lt;DS_MERCHANT_TRANSACTIONTYPE&gt;A&lt;/DS_MERCHANT_TRANSACTIONTYPE&gt;&lt;DS_MERCHANT_TERMINAL&gt;1&lt;/DS_MERCHANT_TERMINAL&gt;&lt;/DATOSENTRADA&gt;&lt;/RECIBIDO&gt;&lt;/RETORNOXML&gt;</p231:trataPeticionReturn></p231:trataPeticionResponse></soapenv:Body></soapenv:Envelope>""",
    "conflict",
    "Redsys SOAP webservice: RETORNOXML CODIGO SIS0051 = order number already used (pedido repetido); the code is the only signal, subtle",
    content_type="text/xml; charset=utf-8",
)

PART.add(
    "f-nfse-abrasf-e10-rps-ja-informado",
    200,
    """<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><GerarNfseResponse xmlns="http://nfse.abrasf.org.br"><outputXML>&lt;?xml version="1.0" encoding="utf-8"?&gt;&lt;GerarNfseResposta xmlns="http://www.abrasf.org.br/nfse.xsd"&gt;&lt;ListaMensagemRetorno&gt;&lt;MensagemRetorno&gt;&lt;Codigo&gt;E10&lt;/Codigo&gt;&lt;Mensagem&gt;RPS já informado.&lt;/Mensagem&gt;&lt;Correcao&gt;Para essa Inscrição Municipal/CNPJ já existe um RPS informado com o mesmo número, série e tipo.&lt;/Correcao&gt;&lt;/MensagemRetorno&gt;&lt;/ListaMensagemRetorno&gt;&lt;/GerarNfseResposta&gt;</outputXML></GerarNfseResponse></soap:Body></soap:Envelope>""",
    "conflict",
    "Brazilian NFS-e (ABRASF) GerarNfse: E10 'RPS já informado', an RPS with the same number/series/type already exists",
    content_type="text/xml; charset=utf-8",
)

PART.add(
    "f-epp-https-2302-object-exists",
    200,
    """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <response>
    <result code="2302">
      <msg lang="en">Object exists</msg>
    </result>
    <trID>
      <clTRID>RGX-20240517-000977</clTRID>
      <svTRID>20240517.101958.55098.0</svTRID>
    </trID>
  </response>
</epp>""",
    "conflict",
    "EPP domain:create over HTTPS answered result 2302 Object exists (the domain is already registered)",
    content_type="text/xml",
)

PART.add(
    "f-supervisor-xmlrpc-already-started",
    200,
    """<?xml version='1.0'?>
<methodResponse>
<fault>
<value><struct>
<member>
<name>faultCode</name>
<value><int>60</int></value>
</member>
<member>
<name>faultString</name>
<value><string>ALREADY_STARTED: celery-worker</string></value>
</member>
</struct></value>
</fault>
</methodResponse>
""",
    "conflict",
    "Supervisor XML-RPC supervisor.startProcess fault 60 ALREADY_STARTED: the process is already running",
    content_type="text/xml",
)


# --------------------------------------------------------------------------- validation

PART.add(
    "f-sru-diagnostic-query-syntax-error",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<zs:searchRetrieveResponse xmlns:zs="http://www.loc.gov/zing/srw/">
  <zs:version>1.1</zs:version>
  <zs:numberOfRecords>0</zs:numberOfRecords>
  <zs:diagnostics>
    <diag:diagnostic xmlns:diag="http://www.loc.gov/zing/srw/diagnostic/">
      <diag:uri>info:srw/diagnostic/1/10</diag:uri>
      <diag:details>dc.title = = "de avonden"</diag:details>
      <diag:message>Query syntax error</diag:message>
    </diag:diagnostic>
  </zs:diagnostics>
</zs:searchRetrieveResponse>""",
    "validation",
    "SRU catalogue search returned a fatal diagnostic info:srw/diagnostic/1/10 Query syntax error",
    content_type="text/xml; charset=UTF-8",
)

PART.add(
    "f-lti11-outcomes-score-out-of-range",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeResponse xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader>
    <imsx_POXResponseHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>1715936121833</imsx_messageIdentifier>
      <imsx_statusInfo>
        <imsx_codeMajor>failure</imsx_codeMajor>
        <imsx_severity>status</imsx_severity>
        <imsx_description>Score is not between 0 and 1</imsx_description>
        <imsx_messageRefIdentifier>6e0f1c2a-91b7-4d0e-a3c8-44d5f2b7e901</imsx_messageRefIdentifier>
        <imsx_operationRefIdentifier>replaceResult</imsx_operationRefIdentifier>
      </imsx_statusInfo>
    </imsx_POXResponseHeaderInfo>
  </imsx_POXHeader>
  <imsx_POXBody>
    <replaceResultResponse/>
  </imsx_POXBody>
</imsx_POXEnvelopeResponse>""",
    "validation",
    "LTI 1.1 Basic Outcomes replaceResult: imsx_codeMajor failure, the score sent is out of range",
    content_type="application/xml",
)

PART.add(
    "f-pubmed-esearch-error-empty-term",
    200,
    """<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">
<eSearchResult>
	<ERROR>Empty term and query_key - nothing todo</ERROR>
</eSearchResult>
""",
    "validation",
    "NCBI E-utilities ESearch with no term: the only content is ERROR 'Empty term and query_key - nothing todo'",
    content_type="text/xml; charset=UTF-8",
)

PART.add(
    "f-3dsecure1-veres-error-format-invalid",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<ThreeDSecure><Message id="vr-20240517-0041982"><Error><version>1.0.2</version><errorCode>5</errorCode><errorMessage>Format of one or more elements is invalid according to the specification</errorMessage><errorDetail>VEReq.pan</errorDetail><vendorCode>DS-VAL-014</vendorCode></Error></Message></ThreeDSecure>""",
    "validation",
    "3-D Secure 1.0 directory answered the enrolment request with an Error message: code 5, element format invalid (VEReq.pan)",
    content_type="application/xml",
)

PART.add(
    "f-buckaroo-nvp-491-validation-failure",
    200,
    "BRQ_AMOUNT=0.00&BRQ_APIRESULT=ValidationFailure&BRQ_CURRENCY=EUR&BRQ_INVOICENUMBER=F2024-00117"
    "&BRQ_STATUSCODE=491&BRQ_STATUSMESSAGE=Validation+failure&BRQ_TEST=false"
    "&BRQ_TIMESTAMP=2024-05-17+11%3a08%3a42&BRQ_TRANSACTIONS=8F1C2D3E4A5B6C7D8E9F0A1B2C3D4E5F"
    "&BRQ_SIGNATURE=4b8e1f0c2d7a9e63b15c0f8a2d4e6b1c9a3f5e7d",
    "validation",
    "Buckaroo NVP TransactionRequest: BRQ_STATUSCODE 491 Validation failure (amount 0.00)",
    content_type="application/x-www-form-urlencoded",
)


# --------------------------------------------------------------------------- generic_business_error

PART.add(
    "f-overpass-xml-remark-out-of-memory",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="Overpass API 0.7.62.1 084b4234">
<note>The data included in this document is from www.openstreetmap.org. The data is made available under ODbL.</note>
<meta osm_base="2024-05-17T09:21:58Z"/>

<remark> runtime error: Query run out of memory using about 2048 MB of RAM. </remark>

</osm>
""",
    "generic_business_error",
    "Overpass API answered 200 with no elements and a remark 'runtime error: Query run out of memory': the query failed",
    content_type="application/osm3s+xml",
)

PART.add(
    "f-supervisor-xmlrpc-spawn-error",
    200,
    """<?xml version='1.0'?>
<methodResponse>
<fault>
<value><struct>
<member>
<name>faultCode</name>
<value><int>50</int></value>
</member>
<member>
<name>faultString</name>
<value><string>SPAWN_ERROR: meter-ingest</string></value>
</member>
</struct></value>
</fault>
</methodResponse>
""",
    "generic_business_error",
    "Supervisor XML-RPC startProcess fault 50 SPAWN_ERROR: the process could not be started",
    content_type="text/xml",
)

PART.add(
    "f-aspnet-customerrors-redirected-error-page",
    200,
    """<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>Error - Tariff Portal</title>
    <link href="/Content/bootstrap.css" rel="stylesheet"/>
<link href="/Content/site.css" rel="stylesheet"/>

</head>
<body>
    <div class="container body-content">
        
<h1 class="text-danger">Error.</h1>
<h2 class="text-danger">An error occurred while processing your request.</h2>

        <hr />
        <footer>
            <p>&copy; 2024 - Tariff Portal</p>
        </footer>
    </div>
</body>
</html>
""",
    "generic_business_error",
    "ASP.NET customErrors redirected the failed API call to its error view, delivered with 200: 'An error occurred while processing your request.'",
    content_type="text/html; charset=utf-8",
    request={"method": "GET", "path": "/api/tariffs/2024/regions/NL-ZH", "headers": JSON_CALL_GET},
)

PART.add(
    "f-coldfusion-error-template-200",
    200,
    """<!-- " ---></TD></TD></TD></TH></TH></TH></TR></TR></TR></TABLE></TABLE></TABLE></A></ABBREV></ACRONYM></ADDRESS></APPLET></AU></B></BANNER></BIG></BLINK></BLOCKQUOTE></BQ></CAPTION></CENTER></CITE></CODE></COMMENT></DEL></DFN></DIR></DIV></DL></EM></FIG></FN></FONT></FORM></FRAME></FRAMESET></H1></H2></H3></H4></H5></H6></HEAD></I></INS></KBD></LISTING></MAP></MARQUEE></MENU></MULTICOL></NOBR></NOFRAMES></NOSCRIPT></NOTE></OL></P></PARAM></PERSON></PLAINTEXT></PRE></Q></S></SAMP></SCRIPT></SELECT></SMALL></STRIKE></STRONG></SUB></SUP></TABLE></TD></TEXTAREA></TH></TITLE></TR></TT></U></UL></VAR></WBR></XMP> -->
<html>
<head>
<title>Error Occurred While Processing Request</title>
</head>
<body>
<font style="COLOR: black; FONT: 16pt/18pt verdana">
	The web site you are accessing has experienced an unexpected error.<br>
	Please contact the website administrator.
</font>
<br><br>
<table border="1" cellpadding="3" bordercolor="#000808" bgcolor="#e7e7e7">
<tr><td bgcolor="#000066"><font style="COLOR: white; FONT: 11pt/13pt verdana" color="white">The following information is meant for the website developer for debugging purposes.</font></td></tr>
<tr><td bgcolor="#4646EE"><font style="COLOR: white; FONT: 11pt/13pt verdana" color="white">Error Occurred While Processing Request</font></td></tr>
""",
    "generic_business_error",
    "A legacy CFML banking endpoint returned ColdFusion's error template ('experienced an unexpected error') with 200 instead of JSON",
    content_type="text/html;charset=UTF-8",
    request={"method": "POST", "path": "/api/transfers/internal.cfm", "headers": {"Accept": "application/json"}},
)

PART.add(
    "f-aeb-carrier-quotes-haserrors-german",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">
    <S:Body>
        <ns2:getQuotesResponse xmlns:ns2="urn:de.aeb.xnsg.bsm.carrier.bf">
            <result>
                <hasErrors>true</hasErrors>
                <hasOnlyRetryableErrors>false</hasOnlyRetryableErrors>
                <hasWarnings>false</hasWarnings>
                <messages>
                    <messageType>ERROR</messageType>
                    <messageIdentCode>INTERNAL_SERVER_ERROR</messageIdentCode>
                    <messageTexts>
                        <languageISOCode>de</languageISOCode>
                        <text>Es ist ein Fehler aufgetreten: ExceptionID:5c0e9a71d3b24f88a6e1c07d92b4f3a1e6d8c205</text>
                    </messageTexts>
                    <indentationLevel>0</indentationLevel>
                </messages>
            </result>
        </ns2:getQuotesResponse>
    </S:Body>
</S:Envelope>""",
    "generic_business_error",
    "AEB logistics/customs SOAP result with hasErrors true, INTERNAL_SERVER_ERROR and a German 'an error occurred' text, inside a 200",
    content_type="text/xml;charset=utf-8",
)


# --------------------------------------------------------------------------- traps

PART.add(
    "f-oaipmh-listidentifiers-deleted-records",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
  <responseDate>2024-05-16T10:25:41Z</responseDate>
  <request verb="ListIdentifiers" metadataPrefix="oai_dc" from="2024-05-01">https://repository.tudelft.nl/oai</request>
  <ListIdentifiers>
    <header status="deleted">
      <identifier>oai:tudelft.nl:uuid:0b7e2c44-31a8-4f6e-9d1c-5a7f0e2b9c13</identifier>
      <datestamp>2024-05-02T08:11:37Z</datestamp>
      <setSpec>com_thesis</setSpec>
    </header>
    <header>
      <identifier>oai:tudelft.nl:uuid:6f3a9d20-8c41-4b57-a0e2-1d9c7b5e3f88</identifier>
      <datestamp>2024-05-03T14:52:09Z</datestamp>
      <setSpec>com_article</setSpec>
    </header>
    <header status="deleted">
      <identifier>oai:tudelft.nl:uuid:a2c5e7f9-0b1d-4e3f-8a6c-7d9e1f2a3b4c</identifier>
      <datestamp>2024-05-06T09:03:55Z</datestamp>
      <setSpec>com_thesis</setSpec>
    </header>
    <resumptionToken completeListSize="1843" cursor="0">oai_dc////2024-05-01/100</resumptionToken>
  </ListIdentifiers>
</OAI-PMH>""",
    None,
    'OAI-PMH harvest listing headers, some with status="deleted": deleted records are normal harvest data, no <error>',
    content_type="text/xml;charset=UTF-8",
    trap=True,
)

PART.add(
    "f-ncip-lookupitem-circulation-missing",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<ns1:NCIPMessage xmlns:ns1="http://www.niso.org/2008/ncip" ns1:version="http://www.niso.org/schemas/ncip/v2_0/imp1/xsd/ncip_v2_0.xsd">
  <ns1:LookupItemResponse>
    <ns1:ItemId>
      <ns1:AgencyId>BIBL-CENTRAL</ns1:AgencyId>
      <ns1:ItemIdentifierValue>3901000876543</ns1:ItemIdentifierValue>
    </ns1:ItemId>
    <ns1:ItemOptionalFields>
      <ns1:BibliographicDescription>
        <ns1:Author>Eco, Umberto</ns1:Author>
        <ns1:Title>Il nome della rosa</ns1:Title>
      </ns1:BibliographicDescription>
      <ns1:CirculationStatus>Missing</ns1:CirculationStatus>
      <ns1:ItemDescription>
        <ns1:CallNumber>853.914 ECO</ns1:CallNumber>
      </ns1:ItemDescription>
    </ns1:ItemOptionalFields>
  </ns1:LookupItemResponse>
</ns1:NCIPMessage>""",
    None,
    "NCIP LookupItem succeeded (no Problem element); the item's circulation status 'Missing' is the data asked for",
    content_type="application/xml",
    trap=True,
)

PART.add(
    "f-ideal-statusres-transaction-failure",
    200,
    """<?xml version="1.0" encoding="UTF-8"?>
<AcquirerStatusRes xmlns="http://www.idealdesk.com/ideal/messages/mer-acq/3.3.1" version="3.3.1">
  <createDateTimestamp>2024-04-02T09:31:07.442Z</createDateTimestamp>
  <Acquirer>
    <acquirerID>0050</acquirerID>
  </Acquirer>
  <Transaction>
    <transactionID>0050001234567890</transactionID>
    <status>Failure</status>
    <statusDateTimestamp>2024-04-02T09:29:51.000Z</statusDateTimestamp>
  </Transaction>
  <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></SignedInfo></Signature>
</AcquirerStatusRes>""",
    None,
    "iDEAL status request answered normally (AcquirerStatusRes, not an error message); the transaction's status Failure is the answer",
    content_type="text/xml; charset=UTF-8",
    trap=True,
)

PART.add(
    "f-epp-domain-check-in-use",
    200,
    """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <response>
    <result code="1000">
      <msg lang="en">Command completed successfully</msg>
    </result>
    <resData>
      <domain:chkData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
        <domain:cd>
          <domain:name avail="0">trattoria-da-gino.it</domain:name>
          <domain:reason lang="en">In use</domain:reason>
        </domain:cd>
        <domain:cd>
          <domain:name avail="1">trattoriadagino.it</domain:name>
        </domain:cd>
      </domain:chkData>
    </resData>
    <trID>
      <clTRID>RGX-20240517-000975</clTRID>
      <svTRID>20240517.101944.55091.0</svTRID>
    </trID>
  </response>
</epp>""",
    None,
    "EPP domain:check completed (1000); one name not available 'In use' is the availability answer, not an error",
    content_type="text/xml",
    trap=True,
)

PART.add(
    "f-unionpay-query-original-failed",
    200,
    "accessType=0&bizType=000201&encoding=UTF-8&merId=777290058110048&orderId=20240517101122"
    "&origRespCode=01&origRespMsg=交易失败。详情请咨询95516&queryId=202405171011228812739"
    "&respCode=00&respMsg=成功[0000000]&signMethod=01"
    "&signature=Qm9hN1r2T8cVZ0kU3eX5pLw4yF6sB1dA9gH7jK2mN0o=&txnAmt=25800&txnSubType=00"
    "&txnTime=20240517101122&txnType=00&version=5.1.0",
    None,
    "UnionPay queryTrans succeeded (respCode 00 成功); origRespCode 01 reports the ORIGINAL payment failed, which is the data queried",
    content_type="application/x-www-form-urlencoded; charset=UTF-8",
    trap=True,
)

PART.add(
    "f-supervisor-getallprocessinfo-fatal",
    200,
    """<?xml version='1.0'?>
<methodResponse>
<params>
<param>
<value><array><data>
<value><struct>
<member><name>name</name><value><string>meter-ingest</string></value></member>
<member><name>group</name><value><string>meter-ingest</string></value></member>
<member><name>statename</name><value><string>FATAL</string></value></member>
<member><name>state</name><value><int>200</int></value></member>
<member><name>description</name><value><string>Exited too quickly (process log may have details)</string></value></member>
<member><name>spawnerr</name><value><string>Exited too quickly (process log may have details)</string></value></member>
<member><name>exitstatus</name><value><int>1</int></value></member>
<member><name>pid</name><value><int>0</int></value></member>
</struct></value>
<value><struct>
<member><name>name</name><value><string>celery-worker</string></value></member>
<member><name>group</name><value><string>celery-worker</string></value></member>
<member><name>statename</name><value><string>RUNNING</string></value></member>
<member><name>state</name><value><int>20</int></value></member>
<member><name>description</name><value><string>pid 48213, uptime 6 days, 2:14:09</string></value></member>
<member><name>pid</name><value><int>48213</int></value></member>
</struct></value>
</data></array></value>
</param>
</params>
</methodResponse>
""",
    None,
    "Supervisor getAllProcessInfo returned normally (params, no fault); a process in FATAL state is status data",
    content_type="text/xml",
    trap=True,
)

PART.add(
    "f-pubmed-esearch-errorlist-with-hits",
    200,
    """<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">
<eSearchResult><Count>412</Count><RetMax>5</RetMax><RetStart>0</RetStart><IdList>
<Id>38701233</Id>
<Id>38695510</Id>
<Id>38688042</Id>
<Id>38671905</Id>
<Id>38660318</Id>
</IdList><TranslationSet/><QueryTranslation>("medication errors"[MeSH Terms] OR ("medication"[All Fields] AND "errors"[All Fields]) OR "medication errors"[All Fields]) AND "nursing homes"[All Fields]</QueryTranslation><ErrorList><PhraseNotFound>zxq-ward</PhraseNotFound></ErrorList></eSearchResult>
""",
    None,
    "PubMed ESearch returned 412 hits; the ErrorList only says one phrase was not found and was ignored",
    content_type="text/xml; charset=UTF-8",
    trap=True,
)

PART.add(
    "f-eori-validation-not-valid",
    200,
    """<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns2:validateEORIResponse xmlns:ns2="http://eori.ws.eos.dds.s/"><return><requestDate>17/05/2024</requestDate><result><eori>NL812345678</eori><status>1</status><statusDescr>Not valid</statusDescr></result><result><eori>DE4417520</eori><status>0</status><statusDescr>Valid</statusDescr><name>Spedition Hoffmann GmbH</name><city>Bremen</city><country>DE</country></result></return></ns2:validateEORIResponse></S:Body></S:Envelope>""",
    None,
    "EU customs EORI validation answered; 'Not valid' for one number is the verdict requested, not a failed call",
    content_type="text/xml;charset=utf-8",
    trap=True,
)


# --------------------------------------------------------------------------- 4xx / 5xx / success

PART.add(
    "f-alma-400-user-not-found",
    400,
    """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<web_service_result xmlns="http://com/exlibris/urm/general/xmlbeans">
  <errorsExist>true</errorsExist>
  <errorList>
    <error>
      <errorCode>401861</errorCode>
      <errorMessage>User with identifier 2200418876 of type  was not found.</errorMessage>
      <trackingId>E01-1705102233-JOJTF-AWAE1826350712</trackingId>
    </error>
  </errorList>
</web_service_result>""",
    "not_found",
    "Ex Libris Alma answered 400 but the error says the user was not found: the body is more specific than the status",
    content_type="application/xml;charset=UTF-8",
)

PART.add(
    "f-overpass-429-rate-limited-html",
    429,
    """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8" lang="en"/>
  <title>OSM3S Response</title>
</head>
<body>

<p>The data included in this document is from www.openstreetmap.org. The data is made available under ODbL.</p>
<p><strong style="color:#FF0000">Error</strong>: runtime error: open64: 0 Success /osm3s_osm_base Dispatcher_Client::request_read_and_idx::rate_limited. Please check /api/status for the quota of your IP address. </p>

</body>
</html>
""",
    "rate_limit",
    "Overpass API 429 with its XHTML error page: rate_limited, check /api/status for your quota",
    content_type="text/html; charset=utf-8",
)

PART.add(
    "f-iis-httpsys-503-app-pool",
    503,
    """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">
<HTML><HEAD><TITLE>Service Unavailable</TITLE>
<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>
<BODY><h2>Service Unavailable</h2>
<hr><p>HTTP Error 503. The service is unavailable.</p>
</BODY></HTML>
""",
    "server_error",
    "HTTP.sys answered 503 Service Unavailable for a stopped IIS application pool",
    content_type="text/html; charset=us-ascii",
    headers={"Server": "Microsoft-HTTPAPI/2.0"},
    request={"method": "GET", "path": "/api/hotel/reservations/884120", "headers": JSON_CALL_GET},
)

PART.add(
    "f-supervisor-xmlrpc-startprocess-ok",
    200,
    """<?xml version='1.0'?>
<methodResponse>
<params>
<param>
<value><boolean>1</boolean></value>
</param>
</params>
</methodResponse>
""",
    None,
    "Supervisor XML-RPC startProcess returned true: the process was started",
    content_type="text/xml",
)
