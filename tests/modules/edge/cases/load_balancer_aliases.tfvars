name                      = "tbyte-stage"
domain_name               = "stage.tbyte.example.com"
subject_alternative_names = ["www.stage.tbyte.example.com"]
hosted_zone_id            = "Z0123456789ABCDEFGHIJ"
load_balancer             = { dns_name = "k8s-tbyte-frontend-0123456789.eu-central-1.elb.amazonaws.com", zone_id = "Z215JYRZR1TBD5" }
alias_records             = ["www.stage.tbyte.example.com"]
managed_rule_groups = {
  AWSManagedRulesAmazonIpReputationList = { priority = 10 }
  AWSManagedRulesCommonRuleSet          = { priority = 20, count_only = true }
  AWSManagedRulesKnownBadInputsRuleSet  = { priority = 30 }
}
