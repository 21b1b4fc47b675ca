namespace                  = "tbyte"
services                   = ["api"]
keep_tagged_images         = 100
untagged_image_expiry_days = 1
